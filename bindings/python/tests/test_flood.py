"""10,000 events delivered into Python without loss or reordering."""

import asyncio
import threading
import time

import gcclient

N = 10_000


async def test_ten_thousand_events_in_order(config, peer):
    # The burst may outrun Python on a loaded machine; a buffer that holds it
    # makes this a test of delivery and order, not of the overflow policy.
    config.event_buffer = N
    async with gcclient.connect(config) as client:
        events = client.events(agent="flood")
        dest = client.destination

        def burst():
            for i in range(N):
                peer.send(dest, f"flood#DialogState#ACTIVE#d{i}#Flood")

        start = time.perf_counter()
        sender = asyncio.get_running_loop().run_in_executor(None, burst)
        seen = []
        async for e in events:
            seen.append(e.data.dialog_id)
            if len(seen) == N:
                break
        await sender
        elapsed = time.perf_counter() - start
        assert seen == [f"d{i}" for i in range(N)]
        assert client.dropped_events == 0
        print(f"\n{N} events in {elapsed:.2f} s: {N / elapsed:,.0f} events/s")


async def test_ten_thousand_events_to_a_callback_in_order(config, peer):
    # The callback form reads batches on its own thread: order must hold
    # across batch boundaries, a raising callback must not stop delivery,
    # and cancelling from inside the callback must stop it at once.
    config.event_buffer = N
    async with gcclient.connect(config) as client:
        dest = client.destination
        seen, after_cancel, done = [], [], threading.Event()
        sub = None

        def on(n):
            if not isinstance(n, gcclient.Notification.GC_EVENT) or n.event.agent != "flood":
                return
            if done.is_set():
                after_cancel.append(n.event.data.dialog_id)
                return
            seen.append(n.event.data.dialog_id)
            if len(seen) == N:
                sub.cancel()
                done.set()
            elif len(seen) % 1000 == 0:
                raise RuntimeError("callback errors are logged, delivery goes on")

        sub = client.on_notification(on, agent="flood")

        def burst():
            for i in range(N + 50):
                peer.send(dest, f"flood#DialogState#ACTIVE#d{i}#Flood")

        await asyncio.get_running_loop().run_in_executor(None, burst)
        assert await asyncio.to_thread(done.wait, 60)
        assert seen == [f"d{i}" for i in range(N)]
        assert not sub.active
        # cancel() returned before done was set, so any of the 50 extra
        # events already fetched in the same batch must have been held back.
        assert after_cancel == []
