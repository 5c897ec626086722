//! C ABI over gcclient (filled by the C ABI issue).
pub use gcclient::VERSION;
