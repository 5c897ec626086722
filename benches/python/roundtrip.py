#!/usr/bin/env python3
"""GetState -> State round trips from Python, for scripts/bench: stomp.py
(a plain STOMP client doing the request/reply by hand), the gcclient
Python package, through its asyncio API (gcclient) or its blocking one
(gcclient-sync: gcclient.sync, one thread per request in flight), or the
asyncio floor (asyncio-floor: the least an asyncio client can do for the
same exchange). Prints one JSON line: {"samples_us": [...]}.

    roundtrip.py --client stomp.py|gcclient|gcclient-sync|asyncio-floor --stomp HOST:PORT --queue Q \
        --n N --inflight K --warmup W
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import socket
import threading
import time
import uuid


def run_stomp_py(host: str, port: int, queue: str, n: int, inflight: int, warmup: int) -> list:
    import stomp

    topic = f"/topic/stomppy.{uuid.uuid4().hex}"
    started: dict = {}
    samples: list = []
    slots = threading.Semaphore(inflight)
    done = threading.Event()
    total = n + warmup
    finished = [0]
    lock = threading.Lock()

    class Listener(stomp.ConnectionListener):
        def on_message(self, frame):  # type: ignore[no-untyped-def]
            now = time.perf_counter()
            cid = frame.headers.get("correlation-id", "")
            with lock:
                t = started.pop(cid, None)
                if t is None:
                    return
                if int(cid[1:]) >= warmup:
                    samples.append((now - t) * 1e6)
                finished[0] += 1
                if finished[0] == total:
                    done.set()
            slots.release()

    # No content-length: GC needs a JMS TextMessage, as gcclient sends.
    conn = stomp.Connection([(host, port)], heartbeats=(0, 0), auto_content_length=False)
    conn.set_listener("", Listener())
    conn.connect(wait=True)
    conn.subscribe(destination=topic, id="1", ack="auto")
    # SUBSCRIBE and SEND share the connection, so the broker has the
    # subscription before the first request.
    for i in range(total):
        slots.acquire()
        cid = f"c{i}"
        with lock:
            started[cid] = time.perf_counter()
        conn.send(destination=f"/queue/{queue}", body="",
                  headers={"type": "GetState#1001", "correlation-id": cid, "reply-to": topic})
    if not done.wait(120):
        raise SystemExit("stomp.py: replies missing")
    conn.disconnect()
    return samples


async def run_gcclient(host: str, port: int, queue: str, n: int, inflight: int, warmup: int) -> list:
    import gcclient

    cfg = gcclient.Config(f"tcp://{host}:{port}", queue=queue, hello_interval_ms=200)
    samples: list = []
    async with gcclient.connect(cfg) as client:
        async def worker(w: int, share: int) -> None:
            agent = client.agent(str(1001 + w))
            for _ in range(warmup // inflight + 1):
                await agent.get_state()
            for _ in range(share):
                t = time.perf_counter()
                await agent.get_state()
                samples.append((time.perf_counter() - t) * 1e6)

        await asyncio.gather(*(worker(w, n // inflight + (1 if w < n % inflight else 0))
                               for w in range(inflight)))
    return samples


async def run_asyncio_floor(host: str, port: int, queue: str, n: int, inflight: int,
                            warmup: int) -> list:
    """What any asyncio client pays for this exchange: gcclient's frame
    (receipt, ``expires``, ``persistent:false``, as the Rust floor row
    "sending gcclient's frame" sends it) written from a coroutine, the
    reply found by its ``correlation-id`` in ``data_received`` and handed to
    the waiting coroutine through a future; receipts are skipped, nothing
    else is parsed. The Python counterpart of that Rust floor row."""
    loop = asyncio.get_running_loop()
    topic = f"/topic/asyncio-floor.{uuid.uuid4().hex}"
    waiting: dict = {}

    class Floor(asyncio.Protocol):
        def __init__(self) -> None:
            self.buf = b""

        def data_received(self, data: bytes) -> None:
            buf = self.buf + data
            start = 0
            while True:
                end = buf.find(b"\0", start)
                if end < 0:
                    break
                frame = buf[start:end].lstrip(b"\n")
                start = end + 1
                if frame.startswith(b"MESSAGE"):
                    at = frame.find(b"\ncorrelation-id:") + 16
                    key = frame[at:frame.find(b"\n", at)]
                else:  # CONNECTED, RECEIPT s (the subscription's): control
                    key = b"" if frame.startswith(b"CONNECTED") or b"receipt-id:s\n" in frame else None
                fut = waiting.pop(key, None) if key is not None else None
                if fut is not None:
                    fut.set_result(None)
            self.buf = buf[start:]

    transport, _ = await loop.create_connection(Floor, host, port)
    transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def control(frame: bytes) -> None:
        waiting[b""] = fut = loop.create_future()
        transport.write(frame)
        await asyncio.wait_for(fut, 10)

    await control(b"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
    await control(f"SUBSCRIBE\nid:0\ndestination:{topic}\nack:auto\nreceipt:s\n\n\0".encode())
    head = f"SEND\ndestination:/queue/{queue}\ntype:GetState#1001\nreply-to:{topic}\n".encode()
    samples: list = []
    seq = itertools.count()

    async def worker(share: int) -> None:
        for i in range(warmup // inflight + 1 + share):
            cid = b"c%d" % next(seq)
            expires = int(time.time() * 1000) + 10_000
            t = time.perf_counter()
            waiting[cid] = fut = loop.create_future()
            transport.write(head + b"correlation-id:" + cid + b"\nreceipt:r" + cid
                            + b"\nexpires:%d\npersistent:false\n\n\0" % expires)
            await fut
            if i > warmup // inflight:
                samples.append((time.perf_counter() - t) * 1e6)

    await asyncio.gather(*(worker(n // inflight + (1 if w < n % inflight else 0))
                           for w in range(inflight)))
    transport.close()
    return samples


def run_gcclient_sync(host: str, port: int, queue: str, n: int, inflight: int, warmup: int) -> list:
    from gcclient import Config
    from gcclient.sync import connect

    cfg = Config(f"tcp://{host}:{port}", queue=queue, hello_interval_ms=200)
    samples: list = []
    errors: list = []
    with connect(cfg) as client:
        def worker(w: int, share: int) -> None:
            try:
                agent = client.agent(str(1001 + w))
                for _ in range(warmup // inflight + 1):
                    agent.get_state()
                mine = []
                for _ in range(share):
                    t = time.perf_counter()
                    agent.get_state()
                    mine.append((time.perf_counter() - t) * 1e6)
                samples.extend(mine)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(w, n // inflight + (1 if w < n % inflight else 0)))
                   for w in range(inflight)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    return samples


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--client", required=True, choices=["stomp.py", "gcclient", "gcclient-sync", "asyncio-floor"])
    p.add_argument("--stomp", required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--inflight", type=int, default=1)
    p.add_argument("--warmup", type=int, default=100)
    a = p.parse_args()
    host, _, port = a.stomp.rpartition(":")
    if a.client == "stomp.py":
        s = run_stomp_py(host, int(port), a.queue, a.n, a.inflight, a.warmup)
    elif a.client == "gcclient-sync":
        s = run_gcclient_sync(host, int(port), a.queue, a.n, a.inflight, a.warmup)
    elif a.client == "asyncio-floor":
        s = asyncio.run(run_asyncio_floor(host, int(port), a.queue, a.n, a.inflight, a.warmup))
    else:
        s = asyncio.run(run_gcclient(host, int(port), a.queue, a.n, a.inflight, a.warmup))
    print(json.dumps({"samples_us": s}))


if __name__ == "__main__":
    main()
