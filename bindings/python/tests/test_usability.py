"""What a Python automation engineer meets first: exceptions that pickle and
name their module, validation that names the setting, quiet logging by
default and a wire-level debugger at DEBUG, waiting helpers, per-call
timeouts, iterators that end and close."""

import asyncio
import logging
import pickle
import subprocess
import sys
import time
import traceback

import pytest

import gcclient
import gcclient.sync
from gcclient import AgentState


# -- exceptions ---------------------------------------------------------------

ERRORS = [
    gcclient.InvalidArgumentError("bad", "make_call", "number", "contains #"),
    gcclient.ConfigError("queue: empty"),
    gcclient.TransportError("no receipt"),
    gcclient.GcOutOfServiceError("out"),
    gcclient.NotInServiceError("not yet", gcclient.ConnectionStatus.CONNECTING),
    gcclient.RequestTimeoutError("late", "make_ready", "1001", 300),
    gcclient.GcRefusedError("refused", "1001", gcclient.error_code_info("CF_RESOURCE_BUSY"),
                            gcclient.parse_event("1001#Error#CF_RESOURCE_BUSY#x")),
    gcclient.ConnectionLostError("lost", "make_ready"),
    gcclient.ClosedError("closed"),
    gcclient.BrokerUnreachableError("none", 1000, "refused"),
    gcclient.SessionLostError("relogin", "make_ready", "1001"),
    gcclient.UnexpectedReplyError("odd", "make_ready", "1001", "dialog_state"),
    gcclient.BrokerAuthError("auth", "tcp://mq:61613"),
    gcclient.InternalError("bug"),
]


@pytest.mark.parametrize("err", ERRORS, ids=lambda e: type(e).__name__)
def test_exceptions_pickle_with_their_attributes_under_gcclient(err):
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and str(again) == str(err)
    assert vars(again) == vars(err)
    assert type(err).__module__ == "gcclient"
    assert getattr(gcclient, type(err).__name__) is type(err)


def test_traceback_names_gcclient_not_the_private_module():
    try:
        raise gcclient.GcRefusedError("no", "1001", gcclient.error_code_info("X"),
                                      gcclient.parse_event("1001#Error#X#y"))
    except gcclient.GcClientError:
        text = traceback.format_exc()
    assert "gcclient.GcRefusedError: no" in text and "_errors" not in text.splitlines()[-1]


async def test_unreachable_broker_has_the_last_error_as_cause():
    # Port 1 (tcpmux) is privileged and nothing of ours listens there.
    config = gcclient.Config("tcp://127.0.0.1:1", connect_timeout_ms=300, backoff_max_ms=100)
    with pytest.raises(gcclient.BrokerUnreachableError) as info:
        await gcclient.connect(config)
    assert isinstance(info.value.__cause__, ConnectionError)
    assert str(info.value.__cause__) == info.value.last_error != ""
    assert info.value.__suppress_context__


# -- configuration ------------------------------------------------------------

def test_validation_names_the_setting_and_the_range():
    with pytest.raises(gcclient.ConfigError) as info:
        gcclient.Config("tcp://mq:61613", request_timeout_ms=-5)
    assert str(info.value).startswith("request_timeout_ms: must be an integer")
    assert "from 0 to" in str(info.value) and "(got -5)" in str(info.value)
    with pytest.raises(gcclient.ConfigError, match=r"^event_buffer: .*2147483647"):
        gcclient.Config("tcp://mq:61613", event_buffer=2**40)
    with pytest.raises(gcclient.ConfigError, match=r"^persistent: must be True or False"):
        gcclient.Config("tcp://mq:61613", persistent="yes")  # type: ignore[arg-type]
    config = gcclient.Config("tcp://mq:61613")
    config.hello_interval_ms = -1
    with pytest.raises(gcclient.ConfigError, match="^hello_interval_ms"):
        config.validate()
    assert isinstance(info.value, ValueError)


def test_config_takes_one_url_or_a_list():
    assert gcclient.Config("tcp://a:1").brokers == ["tcp://a:1"]
    assert gcclient.Config(["tcp://a:1", "tcp://b:2"]).brokers == ["tcp://a:1", "tcp://b:2"]
    with pytest.raises(gcclient.ConfigError, match="^brokers"):
        gcclient.Config(42)  # type: ignore[arg-type]


# -- logging ------------------------------------------------------------------

def test_gcclient_logger_has_a_null_handler():
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("gcclient").handlers)


def test_a_script_that_configures_no_logging_prints_nothing():
    script = (
        "import asyncio, gcclient\n"
        "async def main():\n"
        "    try:\n"
        "        await gcclient.connect(gcclient.Config('tcp://127.0.0.1:1',\n"
        "            connect_timeout_ms=400, backoff_max_ms=100))\n"
        "    except gcclient.BrokerUnreachableError:\n"
        "        print('caught')\n"
        "asyncio.run(main())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout == "caught\n" and out.stderr == "", out.stderr


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


async def test_debug_logs_each_command_reply_and_refusal(config, sim):
    logger = logging.getLogger("gcclient")
    handler, old = Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        async with gcclient.connect(config) as client:
            agent = client.agent("1001")
            await agent.login("1234", "5001")
            await agent.make_ready()
            with pytest.raises(gcclient.GcRefusedError):
                await agent.answer_call("424242")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        gcclient.refresh_log_level()
    cmd = [r for r in handler.records if r.name == "gcclient.command"]
    by = [(r.outcome, r.command) for r in cmd]
    assert ("sent", "login") in by and ("reply", "login") in by
    assert ("sent", "make_ready") in by and ("reply", "make_ready") in by
    assert ("sent", "answer_call") in by and ("refused", "answer_call") in by
    for r in cmd:
        assert r.levelno == logging.DEBUG and r.agent == "1001" and len(r.correlation_id) >= 16
    sent = {r.command: r.correlation_id for r in cmd if r.outcome == "sent"}
    for r in cmd:
        if r.outcome != "sent":
            assert r.correlation_id == sent[r.command] and r.latency_ms > 0
    refused = next(r for r in cmd if r.outcome == "refused")
    assert "E_CTI_INVALID_CALL_ID" in refused.error
    reply = next(r for r in cmd if r.outcome == "reply" and r.command == "make_ready")
    assert reply.reply == "agent_state"
    # One record per step: nothing logged twice.
    assert len(by) == len(set(by))
    assert all("1234" not in r.getMessage() for r in handler.records)


# -- helpers ------------------------------------------------------------------

async def test_wait_for_state_and_call_and_predicate(config, sim):
    async with gcclient.connect(config) as client:
        agent = client.agent("1001")
        await agent.login("1234", "5001")
        with pytest.raises(TimeoutError, match="not READY after 0.2 s .state NOT_READY"):
            await agent.wait_for_state(AgentState.READY, timeout=0.2)
        waiting = asyncio.ensure_future(agent.wait_for_state(AgentState.READY, timeout=10))
        await agent.make_ready()
        assert (await waiting).state == AgentState.READY
        # Already READY: returns at once.
        assert (await agent.wait_for_state(AgentState.READY, timeout=0.1)).state == AgentState.READY

        ringing = asyncio.ensure_future(agent.wait_for_call(timeout=10))
        dialog_state = asyncio.ensure_future(client.wait_for(
            lambda e: isinstance(e, gcclient.InboundCallEvent), timeout=10, agent="1001"))
        await asyncio.sleep(0)  # both subscribed before the call is offered
        dialog = sim.offer("1001", "5551234", callVariable1="VIP")
        call = await ringing
        assert call.dialog_id == dialog and call.variables["callVariable1"] == "VIP"
        answered = await agent.answer_call(call.dialog_id, timeout=5)
        assert answered.data.call.state == gcclient.CallState.ACTIVE
        assert (await dialog_state).agent == "1001"
        with pytest.raises(TimeoutError):
            await client.wait_for(lambda e: False, timeout=0.2)


async def test_per_call_timeout(config, peer):
    peer.handler = lambda p, cmd: [] if cmd.name == "GetState" else None
    async with gcclient.connect(config) as client:  # request_timeout_ms is 5000
        agent = client.agent("1001")
        started = time.monotonic()
        with pytest.raises(gcclient.RequestTimeoutError) as info:
            await agent.get_state(timeout=0.3)
        assert time.monotonic() - started < 3
        assert info.value.after_ms == 300 and info.value.command == "get_state"
        # The library's own deadline: the pending request is dropped with it.
        assert client._c.pending_requests() == 0
        # The client is still usable, and an answered command is not cut short.
        assert (await agent.make_ready(timeout=5)).data.info.state == AgentState.READY


async def test_iterators_close_and_end_on_a_closed_client(config, peer):
    client = await gcclient.connect(config)
    # Agent 1001's events: GC's answers to Hello are System events and may
    # still come after the subscription.
    async with client.events(agent="1001") as events:
        peer.send(client.destination, "1001#DialogState#ACTIVE#d1#F")
        first = await asyncio.wait_for(events.__anext__(), 5)
        assert first.data.dialog_id == "d1"
    # After aclose() the iteration ends.
    assert [e async for e in events] == []
    await client.close()
    opened_after = client.events()
    assert await asyncio.wait_for(_drain(opened_after), 5) == []
    assert await asyncio.wait_for(_drain(client.notifications()), 5) == []


async def _drain(it):
    return [x async for x in it]


def test_sync_iterators_end_on_a_closed_client(config, peer):
    with gcclient.sync.connect(config) as client:
        with client.events(agent="1001", timeout=5) as events:
            peer.send(client.destination, "1001#DialogState#ACTIVE#d2#F")
            assert next(events).data.dialog_id == "d2"
        assert list(events) == []
    started = time.monotonic()
    assert list(client.events()) == [] and list(client.notifications()) == []
    assert time.monotonic() - started < 2


async def test_subscription_as_context_manager(config, peer):
    async with gcclient.connect(config) as client:
        got = []
        done = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on(n):
            # Not a System answer to one of the client's Hellos.
            if isinstance(n, gcclient.Notification.GC_EVENT) and n.event.agent == "1001":
                got.append(n.event)
                loop.call_soon_threadsafe(done.set)

        async with client.on_notification(on) as sub:
            assert sub.active
            peer.send(client.destination, "1001#DialogState#ACTIVE#d3#F")
            await asyncio.wait_for(done.wait(), 5)
        assert not sub.active and got[0].data.dialog_id == "d3"
