//! The STOMP decoder reads bytes from the network. It must never panic,
//! must decode the same frames however the bytes are split into reads, and
//! every frame it returns must survive encode -> decode unchanged.
#![no_main]

use bytes::{BufMut, BytesMut};
use gcclient::stomp::{CodecError, Frame, Incoming, Outgoing, StompCodec};
use libfuzzer_sys::fuzz_target;
use tokio_util::codec::{Decoder, Encoder};

/// Larger than any input libFuzzer makes here, so only a `content-length`
/// can hit the limit and the outcome cannot depend on how reads are split.
const BIG: usize = 1 << 20;

#[derive(Debug, PartialEq)]
struct Outcome {
    items: Vec<Incoming>,
    /// The error that ended the stream, if any (as text: CodecError is not Eq).
    error: Option<String>,
    /// Bytes left over for a frame still incomplete.
    rest: usize,
}

fn feed(codec: &mut StompCodec, buf: &mut BytesMut, out: &mut Outcome) -> bool {
    loop {
        match codec.decode(buf) {
            Ok(Some(item)) => out.items.push(item),
            Ok(None) => return true,
            Err(e) => {
                out.error = Some(describe(&e));
                return false;
            }
        }
    }
}

fn describe(e: &CodecError) -> String {
    e.to_string()
}

/// Decodes `wire` split into reads at the given lengths (cycled).
fn decode_in_reads(wire: &[u8], max_frame: usize, reads: &[usize]) -> Outcome {
    let mut codec = StompCodec::new(max_frame);
    let mut buf = BytesMut::new();
    let mut out = Outcome {
        items: Vec::new(),
        error: None,
        rest: 0,
    };
    let mut at = 0;
    let mut i = 0;
    while at < wire.len() {
        let n = reads[i % reads.len()].clamp(1, wire.len() - at);
        i += 1;
        buf.put_slice(&wire[at..at + n]);
        at += n;
        if !feed(&mut codec, &mut buf, &mut out) {
            return out;
        }
    }
    out.rest = buf.len();
    out
}

fuzz_target!(|data: &[u8]| {
    // The first bytes choose how the rest is split into reads.
    let (plan, wire) = data.split_at(data.len().min(4));
    let reads: Vec<usize> = if plan.is_empty() {
        vec![1]
    } else {
        plan.iter().map(|b| usize::from(*b % 64) + 1).collect()
    };

    let whole = decode_in_reads(wire, BIG, &[usize::MAX]);
    let split = decode_in_reads(wire, BIG, &reads);
    assert_eq!(whole, split, "decoding depends on how the bytes were read");
    let bytewise = decode_in_reads(wire, BIG, &[1]);
    assert_eq!(whole, bytewise, "decoding byte by byte differs");

    // A small limit only has to fail cleanly.
    let _ = decode_in_reads(wire, 64, &reads);

    for item in &whole.items {
        let Incoming::Frame(frame) = item else {
            continue;
        };
        // CONNECT/CONNECTED are not escaped, so a header value ending in CR
        // cannot be written back; every other frame must round-trip.
        if matches!(frame.command.as_str(), "CONNECT" | "CONNECTED") {
            continue;
        }
        let mut buf = BytesMut::new();
        StompCodec::default()
            .encode(Outgoing::Frame(frame.clone()), &mut buf)
            .expect("encoding cannot fail");
        let again = decode_in_reads(&buf, BIG, &[usize::MAX]);
        let expected: Vec<Incoming> = vec![Incoming::Frame(Frame::clone(frame))];
        assert_eq!(again.items, expected, "encode -> decode changed a frame");
        assert_eq!(again.error, None);
        assert_eq!(again.rest, 0);
    }
});
