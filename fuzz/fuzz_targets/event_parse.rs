//! GC event bodies arrive from the network: parsing must never panic, must
//! keep the raw body, and everything the session does with an event
//! (snapshot cache, JSON for the bindings) must accept whatever it returns.
#![no_main]

use gcclient::protocol::ParseOptions;
use gcclient::{AgentSnapshot, Event};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "%23";

fuzz_target!(|data: &[u8]| {
    // The transport hands the session bodies decoded like this.
    let body = String::from_utf8_lossy(data);
    let event = Event::parse(&body);
    assert_eq!(event.raw, body, "the raw body must be kept as received");
    if let Some(agent) = &event.agent {
        assert!(!agent.is_empty() && !agent.contains('#'), "{agent:?}");
    }

    let with_token = Event::parse_with(
        &body,
        &ParseOptions {
            hash_token: Some(TOKEN.into()),
            ..Default::default()
        },
    );
    if !body.contains(TOKEN) {
        assert_eq!(
            with_token, event,
            "an absent hash token must change nothing"
        );
    }

    for e in [&event, &with_token] {
        let _ = e.kind_name();
        let _ = e.error_code().map(|c| c.summary());
        serde_json::to_string(e).expect("every event serialises to JSON");
        let mut snapshot = AgentSnapshot::new(e.agent.as_deref().unwrap_or("1001"));
        snapshot.apply(e);
        serde_json::to_string(&snapshot).expect("every snapshot serialises to JSON");
    }
});
