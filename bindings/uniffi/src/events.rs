//! GC events and client notifications: core's own types, which cross the
//! uniffi boundary as they are (the `uniffi` feature of gcclient derives
//! them; generated module `gcclient_core`). Record names there differ from
//! the `EventData` variants that carry them (`InboundCall { call: CallInfo }`)
//! because Kotlin nests variants inside the sealed class, where a same-named
//! record would be shadowed.

pub use gcclient::protocol::{Event, EventData};
pub use gcclient::Notification;

/// Parses one event body as GC sends it (for tools and tests); never fails.
#[uniffi::export]
pub fn parse_event(body: String) -> Event {
    Event::parse(&body)
}
