//! STOMP 1.2 to ActiveMQ: frames, codec, broker URLs and the connection task.
//!
//! Knows nothing of GC or of the session: it moves frames. Our own codec on
//! `tokio-util::codec` rather than a STOMP crate; the reasons are in
//! docs/design.md.

pub mod codec;
pub mod frame;
pub mod limits;
mod line;
pub mod receipt;
pub mod transport;
pub mod url;

pub use codec::{CodecError, Incoming, Outgoing, StompCodec};
pub use frame::Frame;
pub use limits::{FrameLimits, LimitError};
pub use receipt::Receipt;
pub use transport::{
    StompMessage, Transport, TransportConfig, TransportError, TransportEvent, TransportSink,
    TransportTask,
};
pub use url::BrokerUrl;
