#!/usr/bin/env python3
"""What building gcclient's dataclasses costs per event, against the
uniffi-generated classes they replace: the same bodies read through the same
generated reader, once with each set of classes. Then what a batch of
notifications costs per event when it is lifted into a list at once (the
generated reader) against one at a time as it is consumed (``Batch``, what
the iterators and listeners use), with Python's cyclic collector on.

    python bench/lift.py [--n 20000]
"""

from __future__ import annotations

import argparse
import ctypes
import struct
import time
from typing import Tuple

import gcclient
from gcclient import _fastread, _lift

BODIES = [
    "1001#State#READY##2026-12-01T09:00:00.000Z##1764580000123#Ann Lee#1001#5001##Ann Lee#alee",
    "1001#InboundCall#ACTIVE#DialogID:16777217#5551234#VIP,4711,gold#2026-12-01T09:00:00.000Z"
    "#CallType:ACD_IN#ParticipantsCount:2#participants:1001,5551234",
    "1001#NewInboundCall#5551234#VIP,4711#DialogID:16777218#CallType:ACD_IN#2026-12-01T09:00:00.000Z",
    "1001#DialogState#ACTIVE#16777217#Ann Lee",
]


def per_event_us(frames: list, n: int) -> float:
    """The generated reader alone: what each delivered event costs in Python
    (CPU time of this process: the machine may be shared)."""
    g = _lift.core
    read = g._UniffiFfiConverterTypeEvent.read
    # The stream reads from a native address, as it does from a RustBuffer.
    buffers = [(ctypes.c_uint8 * len(f)).from_buffer_copy(f) for f in frames]
    streams = [(ctypes.addressof(b), len(b)) for b in buffers]
    start = time.process_time()
    for i in range(n):
        data, size = streams[i % len(streams)]
        read(g._UniffiRustBufferStream(data, size))
    return (time.process_time() - start) / n * 1e6


class _Buffer:
    """Stands in for the RustBuffer a batch arrives in (freed by Rust in real
    use; here it is reused)."""

    def __init__(self, data: bytes) -> None:
        self.keep = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.data = ctypes.addressof(self.keep)
        self.len = len(data)

    def free(self) -> None:
        pass


def batch_per_event_us(frames: list, n: int, lazy: bool, size: int = 512) -> float:
    """CPU time per notification of batches of `size` `GcEvent`s, each
    consumed by a callback that looks at it, as a listener's would."""
    seq = _lift.generated._UniffiFfiConverterSequenceTypeNotification
    body = struct.pack(">i", size) + b"".join(
        struct.pack(">i", 1) + frames[i % len(frames)] for i in range(size))
    buf = _Buffer(body)
    seen = [0]

    def callback(note: object) -> None:
        if isinstance(note, gcclient.Notification.GC_EVENT) and note.event.agent:
            seen[0] += 1

    start = time.process_time()
    for _ in range(max(1, n // size)):
        if lazy:
            batch = seq.lift(buf)
        else:
            batch = seq.read(_lift.generated._UniffiRustBufferStream(buf.data, buf.len))
        for note in batch:
            callback(note)
    assert seen[0] == max(1, n // size) * size
    return (time.process_time() - start) / seen[0] * 1e6


def flat_against_uniffi(frames: list, n: int) -> Tuple[float, float]:
    """CPU time per event read by the flat readers (``_readers``) and by
    uniffi's own, both building gcclient's dataclasses."""
    flat = per_event_us(frames, n)
    with _fastread.uniffis_own():
        uniffi = per_event_us(frames, n)
    return flat, uniffi


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    n = ap.parse_args().n
    def with_generated() -> float:
        with _lift.native_classes():
            return per_event_us(frames, n)

    frames = [_lift.encode_event(body) for body in BODIES]
    # Interleaved rounds, best of each: the machine is shared.
    generated, ours = float("inf"), float("inf")
    for _ in range(5):
        generated = min(generated, with_generated())
        ours = min(ours, per_event_us(frames, n))
    assert isinstance(gcclient.parse_event(BODIES[0]), gcclient.AgentStateEvent)
    print(f"reading one event (mix of {len(BODIES)}): gcclient dataclasses {ours:.2f} us, "
          f"uniffi-generated classes {generated:.2f} us ({ours - generated:+.2f} us)")
    flat, uniffi = float("inf"), float("inf")
    for _ in range(5):
        f, u = flat_against_uniffi(frames, n)
        flat, uniffi = min(flat, f), min(uniffi, u)
    print(f"reading one event (mix of {len(BODIES)}): flat readers {flat:.2f} us, "
          f"uniffi's readers {uniffi:.2f} us ({flat - uniffi:+.2f} us)")
    eager, lazy = float("inf"), float("inf")
    for _ in range(5):
        eager = min(eager, batch_per_event_us(frames, n, lazy=False))
        lazy = min(lazy, batch_per_event_us(frames, n, lazy=True))
    print(f"a batch of 512 into a callback, per event: lifted one at a time {lazy:.2f} us, "
          f"as a list {eager:.2f} us ({lazy - eager:+.2f} us)")


if __name__ == "__main__":
    main()
