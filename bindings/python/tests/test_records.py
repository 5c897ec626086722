"""Records and events behave as Python values: repr/str with their fields
(nested too), equality by value, hashing, dataclasses.asdict, copy, pickle,
positional match; and they cover every record and variant of the native
layer."""

import copy
import ctypes
import dataclasses
import datetime as dt
import inspect
import pathlib
import pickle

import pytest

import gcclient
from gcclient import CallState, EventData, Notification, _fastread, _lift

REASONS = "1001#ReasonCodes#Category:NOT_READY#1,2#Labels:Break,Lunch#A"
INBOUND = ("1001#InboundCall#ACTIVE#DialogID:16777217#5551234#VIP,4711#"
           "2026-12-01T09:00:00.123Z#CallType:ACD_IN#ParticipantsCount:2#participants:1001,5551234")
STATE = "1001#State#READY##2026-12-01T09:00:00.000Z##1796115600000#Ann Lee#1001#5001##Ann Lee#alee"


def test_repr_shows_every_field_nested():
    ev = gcclient.parse_event(REASONS)
    text = repr(ev)
    assert text.startswith("ReasonCodesEvent(agent='1001', kind='reason_codes'")
    assert "EventData.REASON_CODES(category=" in text
    assert "codes=(ReasonCode(code='1', label='Break'), ReasonCode(code='2', label='Lunch'))" in text
    assert str(ev) == text
    assert repr(ev.data.codes) == "(ReasonCode(code='1', label='Break'), ReasonCode(code='2', label='Lunch'))"


def test_equal_by_value_hashable_and_false_against_other_types():
    a, b = gcclient.parse_event(REASONS), gcclient.parse_event(REASONS)
    assert a == b and a is not b and hash(a) == hash(b)
    assert a != gcclient.parse_event(REASONS.replace("Lunch", "Dinner"))
    assert (a == 1) is False and (a != 1) is True
    assert (a.data == "x") is False
    assert len({a, b, gcclient.parse_event(INBOUND)}) == 2


def test_asdict_copy_and_pickle():
    ev = gcclient.parse_event(REASONS)
    assert dataclasses.asdict(ev.data) == {
        "category": gcclient.ReasonCategory.NOT_READY, "category_text": "NOT_READY",
        "codes": ({"code": "1", "label": "Break"}, {"code": "2", "label": "Lunch"}),
        "full_name": "A"}
    assert dataclasses.asdict(ev)["data"]["full_name"] == "A"
    assert copy.copy(ev) == ev and copy.deepcopy(ev) == ev
    for body in (REASONS, INBOUND, STATE):
        original = gcclient.parse_event(body)
        again = pickle.loads(pickle.dumps(original))
        assert again == original and type(again) is type(original)


def test_records_are_immutable():
    ev = gcclient.parse_event(REASONS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.agent = "1002"  # type: ignore[misc]


def test_match_with_positional_patterns():
    ev = gcclient.parse_event(STATE)
    match ev.data:
        case EventData.AGENT_STATE(info):
            assert info.state == gcclient.AgentState.READY
        case _:
            pytest.fail("AGENT_STATE did not match")
    match gcclient.parse_event(INBOUND):
        case gcclient.InboundCallEvent(agent, _, _, EventData.INBOUND_CALL(call)):
            assert (agent, call.dialog_id) == ("1001", "16777217")
        case _:
            pytest.fail("InboundCallEvent did not match")


def test_every_event_is_its_kinds_class():
    assert isinstance(gcclient.parse_event(STATE), gcclient.AgentStateEvent)
    assert isinstance(gcclient.parse_event(INBOUND), gcclient.InboundCallEvent)
    assert isinstance(gcclient.parse_event("System#IN_SERVICE"), gcclient.SystemEvent)
    # An unknown type is Unknown with its raw text (the guide names no
    # CallbackMessage title); the titled replies of the table are titled.
    assert isinstance(gcclient.parse_event("1001#NoSuchType#x"), gcclient.UnknownEvent)
    assert isinstance(gcclient.parse_event("1001#SkillGroups#5000:Sales"),
                      gcclient.CallbackMessageEvent)
    assert isinstance(gcclient.parse_event("1001#State#NOPE"), gcclient.MalformedEvent)
    for ev in (gcclient.parse_event(b) for b in (STATE, INBOUND, REASONS)):
        assert isinstance(ev, gcclient.Event) and isinstance(ev.data, EventData)


def test_timestamps_are_utc_datetimes_and_states_enums():
    call = gcclient.parse_event(INBOUND).data.call
    assert call.start_time == dt.datetime(2026, 12, 1, 9, 0, 0, 123000, tzinfo=dt.timezone.utc)
    assert call.start_time_text == "2026-12-01T09:00:00.123Z"
    assert call.state is CallState.ACTIVE and call.state == "ACTIVE"
    info = gcclient.parse_event(STATE).data.info
    assert info.state_change_time == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)
    dialog = gcclient.parse_event("1001#DialogState#HELD#16777217#Ann")
    assert dialog.data.state is CallState.HELD
    # A state this version does not list is kept, as a member of its own.
    odd = gcclient.parse_event("1001#DialogState#PARKED#16777217#Ann").data.state
    assert isinstance(odd, CallState) and odd.value == "PARKED" and odd == "PARKED"
    assert pickle.loads(pickle.dumps(odd)) is odd
    assert gcclient.parse_timestamp("") is None and gcclient.parse_timestamp("soon") is None


def test_call_variables_by_position_and_by_name():
    v = gcclient.parse_event(INBOUND).data.call.variables
    assert v == ("VIP", "4711") and v[0] == "VIP" and list(v) == ["VIP", "4711"]
    assert v["callVariable1"] == "VIP" and v["callVariable2"] == "4711"
    assert v.get("callVariable3") is None
    with pytest.raises(KeyError):
        v["nope"]
    assert v.by_name() == {"callVariable1": "VIP", "callVariable2": "4711"}
    named = gcclient.CallVariables(["VIP", "4711"], names=["tier", "user.account"])
    assert named["user.account"] == "4711" and named["callVariable2"] == "4711"
    assert named.names == ("tier", "user.account")
    assert pickle.loads(pickle.dumps(named))["user.account"] == "4711"
    assert gcclient.parse_event(INBOUND).data.call.call_variables == v


def test_notifications_are_dataclasses_too():
    n = Notification.LAGGED(5)
    assert repr(n) == "Notification.LAGGED(dropped=5)"
    assert n == Notification.LAGGED(5) and n != Notification.LAGGED(6)
    assert pickle.loads(pickle.dumps(n)) == n
    match n:
        case Notification.LAGGED(dropped):
            assert dropped == 5


def _fields(cls):
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]


RENAMED = {"call_variables": "variables"}
ADDED = {"start_time_text", "state_change_time_text"}


@pytest.mark.parametrize("name", sorted(gcclient._records.BUILDERS))
def test_every_native_record_has_its_dataclass(name):
    native = _lift.NATIVE_CLASSES[name]
    ours = getattr(gcclient, name)
    theirs = [RENAMED.get(f, f) for f in _fields(native)]
    mine = [f.name for f in dataclasses.fields(ours) if f.name not in ADDED]
    assert mine == theirs


def test_every_native_variant_has_its_dataclass():
    native = _lift.NATIVE_CLASSES["EventData"]
    variants = [n for n in vars(native) if n.isupper()]
    assert variants, "no variants found in the generated EventData"
    for name in variants:
        ours = getattr(EventData, name)
        assert [f.name for f in dataclasses.fields(ours)] == _fields(getattr(native, name)), name
        assert ours in gcclient._replies.BY_DATA, name
    assert len(gcclient._replies.BY_DATA) == len(variants)


def test_every_native_notification_variant_has_its_dataclass():
    # OVERSIZED_FRAME and BROKER_AUTH had none: the reader failed on them.
    native = _lift.NATIVE_CLASSES["Notification"]
    variants = [n for n in vars(native) if n.isupper()]
    assert {"GC_EVENT", "OVERSIZED_FRAME", "BROKER_AUTH"} <= set(variants)
    for name in variants:
        ours = getattr(Notification, name)
        assert [f.name for f in dataclasses.fields(ours)] == _fields(getattr(native, name)), name
    n = Notification.OVERSIZED_FRAME(20_000_000, None)
    assert repr(n) == "Notification.OVERSIZED_FRAME(size=20000000, destination=None)"
    assert pickle.loads(pickle.dumps(n)) == n


def _generator(script: str = "events.py"):
    import importlib.util

    here = pathlib.Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(f"gen_{script[:-3]}", here / "codegen" / script)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen, here / "python" / "gcclient"


def test_the_events_module_is_generated_from_the_native_layer():
    # _events.py is written by codegen/events.py from core's event table
    # (through the uniffi module); run that script when this fails.
    gen, package = _generator()
    checked_in = (package / "_events.py").read_text()
    assert gen.render() == checked_in, "stale _events.py: run bindings/python/codegen/events.py"


def test_the_records_module_is_generated_from_the_native_layer():
    # _records.py is written by the same script from the records core's
    # events carry (and the snapshot); run it when this fails.
    gen, package = _generator()
    checked_in = (package / "_records.py").read_text()
    assert gen.render_records() == checked_in, \
        "stale _records.py: run bindings/python/codegen/events.py"
    assert gen.record_names() == list(gcclient._records.BUILDERS)


def test_the_readers_module_is_generated_from_the_native_layer():
    # _readers.py is written by codegen/readers.py from uniffi's readers of
    # core's types; run that script when this fails.
    gen, package = _generator("readers.py")
    checked_in = (package / "_readers.py").read_text()
    assert gen.render() == checked_in, "stale _readers.py: run bindings/python/codegen/readers.py"


#: One body per event form of the guide, as core's event table writes them
#: for the fuzzer (tests/tests/faults_fuzz_seeds.rs keeps them current).
FORMS = sorted((pathlib.Path(__file__).resolve().parents[3] / "fuzz" / "seeds" / "event_parse")
               .glob("form-*.txt"))


def _stream(data: bytes):
    # The stream copies the bytes when it is made (as from a RustBuffer).
    native = ctypes.create_string_buffer(data, len(data))
    return _lift.core._UniffiRustBufferStream(ctypes.cast(native, ctypes.POINTER(ctypes.c_char)),
                                              len(data))


def test_the_flat_readers_build_what_uniffis_readers_build():
    assert len(FORMS) > 30, "the event forms are missing"
    read = _lift.core._UniffiFfiConverterTypeEvent.read
    kinds = set()
    for path in FORMS:
        data = _lift.encode_event(path.read_text())
        a, b = _stream(data), _stream(data)
        ours = read(a)
        with _fastread.uniffis_own():
            assert _lift.core._UniffiFfiConverterTypeEvent.read is not read
            theirs = _lift.core._UniffiFfiConverterTypeEvent.read(b)
        assert ours == theirs and type(ours) is type(theirs), path.name
        assert a.offset == b.offset == len(data), path.name
        kinds.add(ours.kind)
    assert len(kinds) > 20, kinds


def test_the_flat_readers_refuse_every_short_buffer():
    g = _lift.core
    read = g._UniffiFfiConverterTypeEvent.read
    for path in FORMS:
        data = _lift.encode_event(path.read_text())
        for cut in range(len(data)):
            stream = _stream(data[:cut])
            with pytest.raises(g.InternalError):
                read(stream)
    # A State event whose agent state (READY, 4, after the variant
    # AGENT_STATE, 5) is a number the enum does not have.
    state = _lift.encode_event(STATE)
    wire = b"\x00\x00\x00\x05\x00\x00\x00\x04"
    assert state.count(wire) == 1
    stream = _stream(state.replace(wire, b"\x00\x00\x00\x05\x00\x00\x00\x63"))
    with pytest.raises(g.InternalError, match="enum"):
        read(stream)
