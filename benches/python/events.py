#!/usr/bin/env python3
"""Events per second delivered into Python by the gcclient package, for
scripts/bench: a raw socket floods N `State` events (frames built up front)
to the client's topic; the clock runs from the first byte sent to the N-th
event seen. Before that, W events (``--warmup-events``) go the same way,
unmeasured. Prints one JSON line: {"events_per_s": ..., "cpu_us_per_event":
...} (this process's CPU time, all threads, during the measured flood).

    events.py --stomp HOST:PORT --events N [--warmup-events W] --mode callback|async
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
import uuid


EVENT_BUFFER_BYTES = 256 * 1024 * 1024


def flood(host: str, port: int, topic: str, n: int) -> socket.socket:
    body = ("flood#State#READY##2025-01-31 14:30:00##1738333800000#Zoë Ünal#flood#5001"
            "##Zoë Ünal#zunal")
    frames = "".join(f"SEND\ndestination:{topic}\ntype:\n\n{body}\0" for _ in range(n)).encode()
    s = socket.create_connection((host, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
    if not s.recv(4096).startswith(b"CONNECTED"):
        raise SystemExit("flooder: no CONNECTED")
    threading.Thread(target=s.sendall, args=(frames,), daemon=True).start()
    return s


class _Peer:
    """Answers Hello with IN_SERVICE so the client comes into service."""

    def __init__(self, host: str, port: int, queue: str) -> None:
        self.s = socket.create_connection((host, port))
        self.s.sendall(b"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
        self.s.recv(4096)
        self.s.sendall(f"SUBSCRIBE\nid:0\ndestination:/queue/{queue}\nack:auto\nreceipt:r\n\n\0".encode())
        buf = b""
        while b"RECEIPT" not in buf:
            buf += self.s.recv(4096)
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self) -> None:
        buf = b""
        while True:
            data = self.s.recv(65536)
            if not data:
                return
            buf += data
            while b"\0" in buf:
                frame, buf = buf.split(b"\0", 1)
                head = frame.split(b"\n\n", 1)[0].decode().strip("\n").split("\n")
                if head[0] != "MESSAGE":
                    continue
                h = dict(line.split(":", 1) for line in head[1:] if ":" in line)
                if h.get("type", "").split("#")[0] in ("Hello", "Beat") and "reply-to" in h:
                    self.s.sendall(f"SEND\ndestination:{h['reply-to']}\ntype:\n\nSystem#IN_SERVICE\0".encode())


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--stomp", required=True)
    p.add_argument("--events", type=int, required=True)
    p.add_argument("--warmup-events", type=int, default=0)
    p.add_argument("--mode", choices=["callback", "async"], default="callback")
    a = p.parse_args()
    host, _, port_s = a.stomp.rpartition(":")
    port = int(port_s)
    import gcclient

    queue = f"bench.pyev.{uuid.uuid4().hex}"
    _Peer(host, port, queue)
    n, warmup = a.events, a.warmup_events
    # Room for the whole flood (count and bytes): this measures delivery,
    # not what a full buffer drops.
    cfg = gcclient.Config(f"tcp://{a.stomp}", queue=queue, hello_interval_ms=200,
                          event_buffer=max(n, warmup, 4096),
                          event_buffer_bytes=EVENT_BUFFER_BYTES)

    async def run() -> "tuple[float, float]":
        async with gcclient.connect(cfg) as client:
            topic = f"/topic/{client.destination}"
            rate, cpu = 0.0, 0.0
            if a.mode == "callback":
                done = threading.Event()
                seen = [0]
                target = [0]
                lagged = []

                def on(note) -> None:  # type: ignore[no-untyped-def]
                    if isinstance(note, gcclient.Notification.GC_EVENT) and note.event.agent == "flood":
                        seen[0] += 1
                        if seen[0] == target[0]:
                            done.set()
                    elif isinstance(note, gcclient.Notification.LAGGED):
                        lagged.append(note)
                        done.set()

                client.on_notification(on)
                for count in (warmup, n):
                    if not count:
                        continue
                    done.clear()
                    target[0] = seen[0] + count
                    t = time.perf_counter()
                    flood(host, port, topic, count)
                    c = time.process_time()
                    if not await asyncio.get_running_loop().run_in_executor(None, done.wait, 300):
                        raise SystemExit(f"only {seen[0]} of {target[0]} events")
                    if lagged:
                        raise SystemExit(f"the listener fell behind: {lagged[0]}")
                    rate = count / (time.perf_counter() - t)
                    cpu = (time.process_time() - c) / count * 1e6
                return rate, cpu
            events = client.events("flood")
            for count in (warmup, n):
                if not count:
                    continue
                t = time.perf_counter()
                flood(host, port, topic, count)
                c = time.process_time()
                seen = 0
                async for _ in events:
                    seen += 1
                    if seen == count:
                        break
                rate = count / (time.perf_counter() - t)
                cpu = (time.process_time() - c) / count * 1e6
            return rate, cpu

    rate, cpu = asyncio.run(run())
    print(json.dumps({"events_per_s": rate, "cpu_us_per_event": cpu}))


if __name__ == "__main__":
    main()
