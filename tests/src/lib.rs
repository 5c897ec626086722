pub mod broker;
pub mod gate;
pub mod gc_peer;
pub mod jms_peer;
