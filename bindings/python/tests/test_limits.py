"""Issue 24 from Python: absurd settings are ConfigError naming the setting,
broker URL passwords never show, a client can start before its broker."""

import time

import re

import pytest

import gcclient

URL_SECRET = "Py-Url-Pw-4e1b"
AGENT_SECRET = "Py-Agent-Pw-9d20"


@pytest.mark.parametrize("setting, value", [
    ("event_buffer", 0xFFFFFFFF),       # aborted the process through gc_config
    ("backoff_max_ms", 0),              # made 4,881 attempts in 7 s
    ("command_ttl_ms", 2**64 - 1),      # wrapped negative: every Hello expired
    ("connect_timeout_ms", 0),
    ("event_buffer_bytes", 1),
])
def test_absurd_settings_are_config_errors(setting, value):
    # Refused when the Config is built (Python's own check) or at latest by
    # validate() (core's): never an abort, never a silent wrap.
    with pytest.raises(gcclient.ConfigError) as info:
        gcclient.Config("tcp://127.0.0.1:1", **{setting: value}).validate()
    # The message names the setting and the accepted range (core's `a..=b`
    # or the Python layer's `from a to b`, whichever refused it first).
    assert setting in str(info.value)
    assert re.search(r"\d+ *(\.\.=|to) *\d+", str(info.value)), str(info.value)


def test_a_url_password_never_shows():
    cfg = gcclient.Config(f"tcp://u:{URL_SECRET}@127.0.0.1:0")
    assert URL_SECRET not in repr(cfg)
    with pytest.raises(gcclient.ConfigError) as info:
        cfg.validate()
    assert URL_SECRET not in str(info.value) and URL_SECRET not in repr(info.value)


async def test_start_returns_at_once_and_keeps_trying():
    began = time.monotonic()
    client = gcclient.start(gcclient.Config("tcp://127.0.0.1:1", connect_timeout_ms=100))
    try:
        assert time.monotonic() - began < 1.0
        assert client.status == gcclient.ConnectionStatus.CONNECTING
    finally:
        await client.close()


async def test_no_password_in_trace_logs(broker, queue, peer, caplog):
    caplog.set_level(5, logger="gcclient")
    host, port = broker
    cfg = gcclient.Config(f"tcp://gc:{URL_SECRET}@{host}:{port}", queue=queue,
                          hello_interval_ms=250)
    async with gcclient.connect(cfg) as client:
        await client.agent("1001").login(AGENT_SECRET, "5001")
    assert caplog.records, "nothing was logged at TRACE"
    assert URL_SECRET not in caplog.text
    assert AGENT_SECRET not in caplog.text
