//! GC + Finesse simulator (filled by the simulator issue).
pub use gcclient::VERSION;
