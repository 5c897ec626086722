pub mod broker;
pub mod gc_peer;
pub mod jms_peer;
