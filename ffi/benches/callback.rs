//! What one notification costs between the dispatcher and a C callback:
//! lending the event as a handle, the call, and taking it back; then the
//! same with the callback reading the kind and one field (what a C
//! program does), and copying the whole event as JSON with its agent (what
//! the .NET binding does for every event). Prints ns per event.

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

use gcclient::bench_support::deliver;
use gcclient::{
    gc_event, gc_event_agent, gc_event_field, gc_event_get_kind, gc_event_kind, gc_event_to_json,
};
use gcclient_core::{Event, Notification};

unsafe extern "C" fn empty(userdata: *mut c_void, _event: *const gc_event) {
    *(userdata as *mut u64) += 1;
}

unsafe extern "C" fn reads(userdata: *mut c_void, event: *const gc_event) {
    let mut kind = gc_event_kind::GC_EVENT_UNKNOWN;
    gc_event_get_kind(event, &mut kind);
    let mut buf = [0 as std::ffi::c_char; 64];
    gc_event_field(
        event,
        c"state".as_ptr(),
        buf.as_mut_ptr(),
        buf.len(),
        std::ptr::null_mut(),
    );
    *(userdata as *mut u64) += black_box(kind as u64 + buf[0] as u64);
}

unsafe extern "C" fn copies_json(userdata: *mut c_void, event: *const gc_event) {
    let mut kind = gc_event_kind::GC_EVENT_UNKNOWN;
    gc_event_get_kind(event, &mut kind);
    let mut buf = [0 as std::ffi::c_char; 4096];
    let mut n = 0usize;
    gc_event_to_json(event, buf.as_mut_ptr(), buf.len(), &mut n);
    let mut agent = [0 as std::ffi::c_char; 64];
    gc_event_agent(event, agent.as_mut_ptr(), agent.len(), std::ptr::null_mut());
    *(userdata as *mut u64) += black_box(kind as u64 + n as u64 + agent[0] as u64);
}

fn run(name: &str, cb: unsafe extern "C" fn(*mut c_void, *const gc_event), n: u32) {
    let event = Event::parse(
        "1001#InboundCall#ALERTING#5551234#VIP,42#2025-01-01 10:00:00#DialogID:D1#CallType:ACD_IN",
    );
    let mut sink = 0u64;
    // Warm-up, then the measured loop; the notification clone is what the
    // broadcast channel hands the dispatcher, so it is part of the cost.
    for _ in 0..n / 10 {
        deliver(
            Notification::Event(event.clone()),
            cb,
            &mut sink as *mut u64 as *mut c_void,
        );
    }
    let start = Instant::now();
    for _ in 0..n {
        deliver(
            Notification::Event(event.clone()),
            cb,
            &mut sink as *mut u64 as *mut c_void,
        );
    }
    let per = start.elapsed().as_nanos() as f64 / f64::from(n);
    println!("{name}: {per:.0} ns per event ({n} events)");
    black_box(sink);
}

fn main() {
    run("lend + empty C callback", empty, 1_000_000);
    run("lend + callback reading kind and `state`", reads, 200_000);
    run(
        "lend + callback copying kind, JSON and agent (.NET)",
        copies_json,
        200_000,
    );
}
