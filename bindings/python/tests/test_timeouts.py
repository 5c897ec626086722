"""Per-call ``timeout=``: the reply deadline of that call, longer or shorter
than the config's ``request_timeout_ms``, in the asyncio and the blocking
API. A scripted GC that answers late plays the slow peer."""

import queue
import threading
import time

import pytest

import gcclient
import gcclient.sync
from gcpeer import state_body

#: The config's deadline in these tests, and how late the slow GC answers.
REQUEST_TIMEOUT_MS = 300
LATE_S = 0.9


def slow_get_state(peer):
    """GetState is answered LATE_S after it arrived (from a timer thread);
    returns the queue of the commands seen, to wait for them."""
    seen: "queue.Queue" = queue.Queue()

    def handler(p, cmd):
        if cmd.name != "GetState":
            return None
        seen.put(cmd)
        threading.Timer(LATE_S, lambda: p.reply(cmd, state_body(cmd.target, "READY"))).start()
        return []
    peer.handler = handler
    return seen


def silent_get_state(peer):
    """GetState is never answered; returns the queue of the ones seen."""
    seen: "queue.Queue" = queue.Queue()

    def handler(p, cmd):
        if cmd.name != "GetState":
            return None
        seen.put(cmd)
        return []
    peer.handler = handler
    return seen


@pytest.fixture
def short_config(config):
    config.request_timeout_ms = REQUEST_TIMEOUT_MS
    return config


async def test_a_longer_timeout_waits_past_request_timeout(short_config, peer):
    slow_get_state(peer)
    async with gcclient.connect(short_config) as client:
        agent = client.agent("1001")
        # Without timeout= the config's 300 ms apply: the late reply is too late.
        with pytest.raises(gcclient.RequestTimeoutError) as info:
            await agent.get_state()
        assert info.value.after_ms == REQUEST_TIMEOUT_MS
        started = time.monotonic()
        reply = await agent.get_state(timeout=10)
        assert time.monotonic() - started >= LATE_S - 0.05
        assert reply.data.info.state == gcclient.AgentState.READY
        assert client._c.pending_requests() == 0


async def test_a_shorter_timeout_fails_typed_and_drops_the_request(short_config, peer):
    silent_get_state(peer)
    async with gcclient.connect(short_config) as client:
        agent = client.agent("1001")
        started = time.monotonic()
        with pytest.raises(gcclient.RequestTimeoutError) as info:
            await agent.get_state(timeout=0.1)
        assert time.monotonic() - started < REQUEST_TIMEOUT_MS / 1000
        assert info.value.after_ms == 100 and info.value.agent == "1001"
        assert info.value.command == "get_state"
        assert isinstance(info.value, TimeoutError)
        assert client._c.pending_requests() == 0


def test_sync_timeout_longer_and_shorter_than_request_timeout(short_config, peer):
    seen = slow_get_state(peer)
    with gcclient.sync.connect(short_config) as client:
        agent = client.agent("1001")
        reply = agent.get_state(timeout=10)
        assert reply.data.info.state == gcclient.AgentState.READY
        seen.get(timeout=5)
        silent_get_state(peer)
        started = time.monotonic()
        with pytest.raises(gcclient.RequestTimeoutError) as info:
            agent.get_state(timeout=0.1)
        assert time.monotonic() - started < REQUEST_TIMEOUT_MS / 1000
        assert info.value.after_ms == 100
        assert client._c._c.pending_requests() == 0


def test_a_negative_timeout_is_refused_before_sending(short_config, peer):
    with gcclient.sync.connect(short_config) as client:
        sent = len(peer.commands)
        with pytest.raises(ValueError, match="timeout"):
            client.agent("1001").make_ready(timeout=-1)
        assert len(peer.commands) == sent


def test_sync_close_wakes_a_blocked_command(config, peer):
    seen = silent_get_state(peer)
    with gcclient.sync.connect(config) as client:
        agent = client.agent("1001")
        failed: "queue.Queue" = queue.Queue()

        def blocked() -> None:
            try:
                agent.get_state(timeout=60)
            except Exception as e:  # noqa: BLE001 - the test inspects it
                failed.put(e)

        t = threading.Thread(target=blocked)
        t.start()
        seen.get(timeout=10)
        client.close()
        t.join(10)
        assert not t.is_alive()
        assert isinstance(failed.get_nowait(), gcclient.ClosedError)


def test_blocking_commands_release_the_gil(config, peer):
    """Another Python thread runs while one waits in a blocking command."""
    silent_get_state(peer)
    with gcclient.sync.connect(config) as client:
        agent = client.agent("1001")
        counted = [0]
        stop = threading.Event()

        def count() -> None:
            while not stop.is_set():
                counted[0] += 1
        t = threading.Thread(target=count)
        t.start()
        try:
            with pytest.raises(gcclient.RequestTimeoutError):
                agent.get_state(timeout=0.3)
            before = counted[0]
            with pytest.raises(gcclient.RequestTimeoutError):
                agent.get_state(timeout=0.3)
            assert counted[0] - before > 1000
        finally:
            stop.set()
            t.join()
