"""The faster native paths (``gcclient._aio``, ``gcclient._fastread``) keep
uniffi's behaviour: every await goes through the loop's wake queue, a
cancelled await frees its command, many awaits in flight each get their own
reply, the loop drains its queue to the end, and the buffer readers still
refuse a short buffer."""

from __future__ import annotations

import asyncio
import ctypes
import struct
import threading
import weakref

import pytest

import gcclient
from gcclient import _aio, _lift


def _waiter() -> "_aio._Waiter":
    w = _aio.current_waiter()
    assert w is not None, "the loop has no wake queue: uniffi's relay path was used"
    return w


async def test_awaits_are_woken_through_the_loops_wake_queue(config, peer):
    async with gcclient.connect(config) as client:
        reply = await client.agent("1001").get_state()
        assert reply.data.info.state == gcclient.AgentState.READY
        assert _waiter().pending == {}, "a finished await left its token behind"


class _CountingDrain:
    """``gcclient_wake_drain``, remembering what it drained."""

    def __init__(self, drain) -> None:
        self.drain = drain
        self.drained: list = []

    def __call__(self, base, buffer, cap):
        n = self.drain(base, buffer, cap)
        self.drained.extend(buffer[:n])
        return n


async def test_a_ready_answer_given_during_the_poll_is_not_queued(config, peer, monkeypatch):
    assert _aio._drain is not None, "the library has no gcclient_wake_drain"
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        await agent.get_state()
        counting = _CountingDrain(_aio._drain)
        monkeypatch.setattr(_aio, "_drain", counting)
        for _ in range(5):
            assert (await agent.get_state()).agent == "1001"
        assert counting.drained, "no wake-up went through the queue"
        ready = [v for v in counting.drained if v & 1 == 0]
        assert ready == [], "ready answers of a poll went round the loop: %r" % ready


async def test_many_awaits_in_flight_get_their_own_replies(config, peer):
    async with gcclient.connect(config) as client:
        agents = [client.agent(str(1001 + i)) for i in range(32)]
        for _ in range(5):
            replies = await asyncio.gather(*(a.get_state() for a in agents))
            assert [r.agent for r in replies] == [a.id for a in agents]
        assert _waiter().pending == {}


async def test_the_loop_drains_until_a_call_leaves_the_buffer_short(config, peer, monkeypatch):
    # gcclient_wake_drain hands over at most the buffer's size per call (its
    # Rust test: the rest stays signalled); the loop must call again.
    async with gcclient.connect(config) as client:
        await client.agent("1001").get_state()
        w = _waiter()
        loop = asyncio.get_running_loop()
        seqs = range(1 << 30, (1 << 30) + 10)
        futures = {seq: loop.create_future() for seq in seqs}
        w.pending.update(futures)
        queued = [seq << 1 for seq in seqs]
        calls = []

        def drain(base, buffer, cap):
            batch, queued[:] = queued[:cap], queued[cap:]
            for i, value in enumerate(batch):
                buffer[i] = value
            calls.append(len(batch))
            return len(batch)

        # Only around this call: the client's own awaits need the real drain.
        with monkeypatch.context() as m:
            m.setattr(w, "buffer", (ctypes.c_uint64 * 4)())
            m.setattr(_aio, "_drain", drain)
            w._ready()
        assert calls == [4, 4, 2], "the loop stopped before the queue was empty"
        assert all(f.done() and f.result() == 0 for f in futures.values())
        assert not any(seq in w.pending for seq in seqs)


async def test_a_cancelled_await_drops_its_token_and_its_request(config, peer):
    peer.handler = lambda p, cmd: [] if cmd.name == "GetState" else None
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        task = asyncio.ensure_future(agent.get_state())
        while not _waiter().pending:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert _waiter().pending == {}
        peer.handler = None
        assert (await agent.get_state()).agent == "1001"


def test_each_event_loop_gets_its_own_queue(config, peer):
    seen = []
    # Both loops alive together: a finished loop's queue gives its slot
    # (and so its token base) to the next queue made.
    both = threading.Barrier(2)

    async def one() -> None:
        async with gcclient.connect(config) as client:
            await client.agent("1001").get_state()
            seen.append(_waiter().base)
            await asyncio.get_running_loop().run_in_executor(None, both.wait, 30)

    threads = [threading.Thread(target=asyncio.run, args=(one(),)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(seen) == 2 and seen[0] != seen[1]


@pytest.mark.parametrize("module", ["generated", "core"])
def test_the_fast_readers_refuse_a_short_buffer(module):
    m = getattr(_lift, module)
    raw = b"\x00\x00\x00\x05abc"  # a string of 5 bytes with 3 present
    buf = ctypes.create_string_buffer(raw, len(raw))
    stream = m._UniffiRustBufferStream(ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)), len(raw))
    with pytest.raises(m.InternalError):
        m._UniffiFfiConverterString.read(stream)
    stream = m._UniffiRustBufferStream(ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)), 2)
    with pytest.raises(m.InternalError):
        stream.read_i32()
    ok = b"\x00\x00\x00\x03\xc5\x81\x61"
    buf = ctypes.create_string_buffer(ok, len(ok))
    stream = m._UniffiRustBufferStream(ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)), len(ok))
    assert m._UniffiFfiConverterString.read(stream) == "Ła"
    assert stream.remaining() == 0


async def test_an_await_on_uniffis_own_path_still_completes(config, peer):
    # Last in this file: from here on the process wakes through the relay.
    async with gcclient.connect(config) as client:
        # As on a loop that cannot watch descriptors: uniffi's own path,
        # whose ctypes callback the library then wakes from its relay thread.
        _aio._waiters[asyncio.get_running_loop()] = None
        replies = await asyncio.gather(*(client.agent(str(1001 + i)).get_state() for i in range(4)))
        assert [r.agent for r in replies] == ["1001", "1002", "1003", "1004"]


async def test_a_batch_is_lifted_one_notification_at_a_time(config, peer):
    # A batch used to be lifted into a list: all of its events alive at
    # once, which made Python's cyclic collector run every few events.
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        stream = agent._a.events()
        for i in range(3):
            peer.send(client.destination, f"1001#DialogState#ACTIVE#d{i}#Ann Lee")
        await agent.get_state()  # GC answers in order: the three are queued
        batch = stream.next_batch_blocking(512, 5000)
        assert len(batch) >= 3, "the batch is not lifted lazily, or events are missing"
        first = next(batch)
        assert first.event.data.dialog_id == "d0"
        taken = weakref.ref(first)
        left = len(batch)
        del first
        assert taken() is None, "the batch keeps a notification it handed over"
        assert [next(batch).event.data.dialog_id for _ in range(2)] == ["d1", "d2"]
        assert len(batch) == left - 2


def _batch_of(module, body: bytes):
    class Buffer:
        def __init__(self) -> None:
            self.keep = ctypes.create_string_buffer(body, len(body))
            self.data = ctypes.cast(self.keep, ctypes.POINTER(ctypes.c_char))
            self.len = len(body)
            self.freed = False

        def free(self) -> None:
            self.freed = True

    buf = Buffer()
    try:
        return module._UniffiFfiConverterSequenceTypeNotification.lift(buf)
    finally:
        assert buf.freed, "a batch's native buffer was not released"


def test_a_lazy_batch_still_refuses_a_bad_buffer():
    m = _lift.generated
    lagged = struct.pack(">ii", 1, 5) + struct.pack(">Q", 7)  # one LAGGED(7)
    batch = _batch_of(m, lagged)
    assert [n.dropped for n in batch] == [7]
    batch = _batch_of(m, lagged + b"\x00")
    with pytest.raises(RuntimeError, match="junk data"):
        next(batch)
    with pytest.raises(RuntimeError, match="junk data"):
        _batch_of(m, struct.pack(">i", 0) + b"\x00")
    with pytest.raises(m.InternalError, match="negative"):
        _batch_of(m, struct.pack(">i", -1))
    batch = _batch_of(m, struct.pack(">ii", 2, 5))  # a LAGGED without its count
    with pytest.raises(_lift.core.InternalError):  # the item's reader is core's
        next(batch)
    assert list(batch) == [], "a batch went on reading after a bad item"
