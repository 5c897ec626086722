//! uniffi bindings over gcclient (filled by the Python issue).
pub use gcclient::VERSION;
