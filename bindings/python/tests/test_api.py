"""The API without a GC: config, parsing, error codes, unreachable broker."""

import dataclasses

import pytest

import gcclient
from gcclient import _native


def test_config_defaults_are_the_libraries():
    ours = gcclient.Config("tcp://h:61613")
    core = _native.default_config("tcp://h:61613")
    record = _native.ClientConfig(brokers=["tcp://h:61613"])
    for f in dataclasses.fields(gcclient.Config):
        if f.name in ("broker_passcode", "call_variable_names"):
            continue
        assert getattr(ours, f.name) == getattr(core, f.name), f.name
        assert getattr(record, f.name) == getattr(core, f.name), f.name


def test_passcode_is_never_printed():
    cfg = gcclient.Config("tcp://h:61613", broker_login="u", broker_passcode="pa55-secret")
    assert "pa55-secret" not in repr(cfg)
    assert "pa55-secret" not in str(cfg.to_native())
    from_toml = gcclient.Config.from_toml(
        'brokers = ["tcp://a:1"]\nbroker_passcode = "pa55-secret"\nqueue = "Q2"\n')
    assert from_toml.queue == "Q2" and "pa55-secret" not in repr(from_toml)


def test_bad_config_names_the_setting():
    with pytest.raises(gcclient.ConfigError, match="queue"):
        gcclient.Config("tcp://h:61613", queue="a#b").validate()
    with pytest.raises(gcclient.ConfigError, match="brokers"):
        gcclient.Config("http://nope").validate()
    with pytest.raises(gcclient.ConfigError, match="bogus"):
        gcclient.Config.from_toml("bogus = 1")


def test_events_parse_into_typed_records():
    e = gcclient.parse_event("1001#State#READY##t##0#Alice Archer#1001#5001##Alice#1001")
    assert e.agent == "1001" and e.kind == "agent_state" and e.wire_type == "State"
    assert isinstance(e.data, gcclient.EventData.AGENT_STATE)
    assert e.data.info.state == gcclient.AgentState.READY
    assert e.data.info.extension == "5001"
    err = gcclient.parse_event("1001#Error#SUBSCRIPTION_FAILED#bad password")
    assert err.data.error.code == gcclient.ErrorCode.SUBSCRIPTION_FAILED
    assert err.data.details == ("bad password",)
    assert gcclient.parse_event("garbage").kind == "unknown"


def test_error_codes_and_states_match_the_guide():
    texts = [c.name for c in gcclient.ErrorCode if c != gcclient.ErrorCode.OTHER]
    assert len(texts) == 20
    for t in texts:
        info = gcclient.error_code_info(t)
        assert info.code.name == t and info.text == t and info.summary
    other = gcclient.error_code_info("BRAND_NEW")
    assert other.code == gcclient.ErrorCode.OTHER and other.text == "BRAND_NEW"
    S = gcclient.AgentState
    assert gcclient.can_transition(S.NOT_READY, S.READY)
    assert not gcclient.can_transition(S.LOGOUT, S.READY)
    assert gcclient.state_name(S.WORK_READY) == "WORK_READY"


async def test_unreachable_broker_raises_its_exception():
    cfg = gcclient.Config("tcp://127.0.0.1:9", connect_timeout_ms=500, backoff_max_ms=100)
    with pytest.raises(gcclient.BrokerUnreachableError) as info:
        await gcclient.connect(cfg)
    assert info.value.after_ms == 500
    assert isinstance(info.value, ConnectionError)
