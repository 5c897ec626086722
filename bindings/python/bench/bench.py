#!/usr/bin/env python3
"""Benchmark: command round trip from Python and events per second into
Python, against a real broker and a scripted GC (tests/gcpeer.py), with the
Rust figures for the same measurements next to them.

    python bench/bench.py --broker tcp://127.0.0.1:61613 \
        [--rust-baseline target/release/examples/baseline]

Build both in release for meaningful numbers:
    (cd bindings/python && maturin build --release); pip install target/wheels/gcclient-*.whl
    cargo build --release -p gcclient-uniffi --example baseline
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time
import uuid
from typing import List

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

import gcclient  # noqa: E402
from gcpeer import ScriptedGc, state_body  # noqa: E402


def flood_peer(host: str, port: int, queue: str, n: int) -> ScriptedGc:
    """A GC that answers `MakeReady#flood` and then sends `n` events in one
    burst (frames built up front, so the source outruns the consumer)."""

    def handler(peer: ScriptedGc, cmd):  # type: ignore[no-untyped-def]
        if cmd.name == "MakeReady" and cmd.target == "flood":
            peer.reply(cmd, state_body("flood", "READY"))
            dest = cmd.reply_to
            frames = "".join(
                f"SEND\ndestination:{dest}\ntype:\n\nflood#DialogState#ACTIVE#d{i}#F\0"
                for i in range(n)).encode()

            def burst() -> None:
                with peer._send_lock:
                    peer._sock.sendall(frames)

            threading.Thread(target=burst, daemon=True).start()
            return []
        return None

    return ScriptedGc(host, port, queue, handler)


def pct(values: List[float], p: float) -> float:
    values = sorted(values)
    return values[int((len(values) - 1) * p)]


async def python_async(config: gcclient.Config, rtt_n: int, events_n: int) -> None:
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        for _ in range(50):
            await agent.get_state()
        lat = []
        for _ in range(rtt_n):
            t = time.perf_counter()
            await agent.get_state()
            lat.append((time.perf_counter() - t) * 1e6)
        print(f"python command round trip (asyncio): p50 {pct(lat, .5):.0f} us, "
              f"p99 {pct(lat, .99):.0f} us, mean {statistics.mean(lat):.0f} us")

        flood = client.agent("flood")
        events = flood.events()
        await flood.make_ready()
        start = time.perf_counter()
        seen = 0
        async for e in events:
            if e.kind == "dialog_state":
                seen += 1
                if seen == events_n:
                    break
        secs = time.perf_counter() - start
        print(f"python events delivered (async for): {events_n / secs:,.0f} events/s "
              f"({events_n} in {secs:.2f} s, dropped {client.dropped_events})")


def python_sync(config: gcclient.Config, rtt_n: int) -> None:
    with gcclient.sync.connect(config) as client:
        agent = client.agent("1001")
        for _ in range(50):
            agent.get_state()
        lat = []
        for _ in range(rtt_n):
            t = time.perf_counter()
            agent.get_state()
            lat.append((time.perf_counter() - t) * 1e6)
        print(f"python command round trip (sync):    p50 {pct(lat, .5):.0f} us, "
              f"p99 {pct(lat, .99):.0f} us, mean {statistics.mean(lat):.0f} us")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("GCCLIENT_TEST_STOMP", "127.0.0.1:61613")
    p.add_argument("--broker", default=f"tcp://{default}")
    p.add_argument("--rtt", type=int, default=2000)
    p.add_argument("--events", type=int, default=50_000)
    p.add_argument("--rust-baseline", help="path of the `baseline` example binary")
    args = p.parse_args()
    host, _, port = args.broker.removeprefix("tcp://").rpartition(":")

    queue = f"Connector.bench.{uuid.uuid4().hex[:8]}"
    peer = flood_peer(host, int(port), queue, args.events)
    try:
        config = gcclient.Config(args.broker, queue=queue, event_buffer=max(args.events, 4096))
        print(f"gcclient {gcclient.__version__}, broker {args.broker}")
        asyncio.run(python_async(config, args.rtt, args.events))
        python_sync(config, args.rtt)
        if args.rust_baseline:
            subprocess.run([args.rust_baseline, args.broker, queue, str(args.rtt),
                            str(args.events)], check=True)
    finally:
        peer.close()


if __name__ == "__main__":
    main()
