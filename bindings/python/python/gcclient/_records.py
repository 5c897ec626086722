"""The records events carry: frozen dataclasses (printable, comparable by
value, hashable, picklable, usable with ``dataclasses.asdict`` and ``match``).

The uniffi-generated reader builds these directly (see ``_lift``), so an
event costs no second conversion.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as _dt
import enum
from typing import (Any, Callable, Dict, Iterable, Iterator, Mapping, Optional, Sequence, Tuple,
                    Type, TypeVar, Union, overload)

_T = TypeVar("_T")

from ._native import AgentState, ClientAction, ErrorOrigin
from ._native import ErrorCodeKind as ErrorCode

_UTC = _dt.timezone.utc

#: Names a deployment gives to call-variable positions (``Config.call_variable_names``),
#: set around each read of events from one client.
_variable_names: "contextvars.ContextVar[Tuple[str, ...]]" = contextvars.ContextVar(
    "gcclient_call_variable_names", default=())


def _public(cls: Any) -> Any:
    # Shown (and pickled) as `gcclient.X`: the name users import.
    cls.__module__ = "gcclient"
    return cls


def parse_timestamp(text: str) -> Optional[_dt.datetime]:
    """A GC timestamp as an aware UTC :class:`~datetime.datetime`.

    GC sends epoch milliseconds (``1764580000123``) in some fields and ISO
    8601 (``2026-12-01T09:00:00.123Z``) in others; None for an empty or
    unreadable value (the text is kept next to the parsed field).
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        try:
            return _dt.datetime.fromtimestamp(int(text) / 1000, _UTC)
        except (OverflowError, OSError, ValueError):
            return None
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = _dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_UTC)
    return parsed.astimezone(_UTC)


@_public
class CallState(str, enum.Enum):
    """A dialog's state as Finesse reports it (``InboundCall``, ``DialogState``,
    ``ConsultCall``, ``DialogStatus``). A value this version does not list
    becomes a member of its own (``CallState("NEW_STATE").value == "NEW_STATE"``),
    so nothing GC sends is lost. Compares equal to its wire spelling."""

    INITIATING = "INITIATING"
    INITIATED = "INITIATED"
    ALERTING = "ALERTING"
    ACTIVE = "ACTIVE"
    HELD = "HELD"
    FAILED = "FAILED"
    DROPPED = "DROPPED"
    DROP = "DROP"
    WRAP_UP = "WRAP_UP"
    ACCEPTED = "ACCEPTED"

    @classmethod
    def _missing_(cls, value: object) -> Optional["CallState"]:
        if not isinstance(value, str):
            return None
        member = _extra_states.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            _extra_states[value] = member
        return member

    def __str__(self) -> str:
        return str(self.value)


_extra_states: Dict[str, CallState] = {}


@_public
class CallVariables(Tuple[str, ...]):
    """A call's variables: the values in GC's order (a tuple: ``v[0]``) and
    by name (``v["callVariable1"]``, or a name the deployment configured in
    ``Config.call_variable_names``). GC sends values only; names are
    positional."""

    _configured: Tuple[str, ...]

    def __new__(cls, values: Iterable[str] = (), names: Optional[Sequence[str]] = None
                ) -> "CallVariables":
        self = super().__new__(cls, values)
        # Names are worked out when asked for: most events are never read by name.
        self._configured = tuple(names) if names is not None else _variable_names.get()
        return self

    @property
    def names(self) -> Tuple[str, ...]:
        """The name of each position: the configured one, else ``callVariableN``."""
        configured = self._configured
        return tuple(configured[i] if i < len(configured) and configured[i]
                     else f"callVariable{i + 1}" for i in range(len(self)))

    def __getnewargs__(self) -> Tuple[Any, ...]:
        return (tuple(self), self._configured)

    @overload  # type: ignore[override]
    def __getitem__(self, key: int) -> str: ...

    @overload
    def __getitem__(self, key: slice) -> Tuple[str, ...]: ...

    @overload
    def __getitem__(self, key: str) -> str: ...

    def __getitem__(self, key: Union[int, slice, str]) -> Union[str, Tuple[str, ...]]:
        if isinstance(key, str):
            index = self._index(key)
            if index is None:
                raise KeyError(key)
            return tuple.__getitem__(self, index)
        return tuple.__getitem__(self, key)

    def _index(self, name: str) -> Optional[int]:
        if name in self._configured:
            i = self._configured.index(name)
            return i if i < len(self) else None
        if name.startswith("callVariable") and name[12:].isdigit():
            i = int(name[12:]) - 1
            if 0 <= i < len(self):
                return i
        return None

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The value named ``name``, or ``default``."""
        index = self._index(name)
        return default if index is None else tuple.__getitem__(self, index)

    def by_name(self) -> Dict[str, str]:
        """``{"callVariable1": ..., ...}`` plus the configured names."""
        out = {f"callVariable{i + 1}": v for i, v in enumerate(self)}
        out.update(zip(self.names, self))
        return out

    def keys(self) -> Iterator[str]:
        """The name of each position (configured, else ``callVariableN``)."""
        return iter(self.names)

    def __repr__(self) -> str:
        return "CallVariables({})".format(", ".join(
            f"{n}={v!r}" for n, v in zip(self.names, self)))


def _vars(values: Sequence[str]) -> CallVariables:
    return CallVariables(values)


_STATES = CallState._value2member_map_


def _state(text: str) -> CallState:
    # Enum's __call__ costs a microsecond; the map lookup a few dozen ns.
    return _STATES.get(text) or CallState(text)  # type: ignore[return-value]




@_public
@dataclasses.dataclass(frozen=True)
class KeyValue:
    """A name/value pair, in order (call variables to set, queue statistics)."""

    key: str
    value: str


@_public
@dataclasses.dataclass(frozen=True)
class Team:
    """A team: id and name."""

    id: str
    name: str


@_public
@dataclasses.dataclass(frozen=True)
class AgentDetails:
    """``AgentInfo`` after login (the supervisor form lists its teams)."""

    first_name: str
    last_name: str
    is_supervisor: bool
    wrap_up_mode: str
    team_id: str
    full_name: str
    login_name: str
    teams: Tuple[Team, ...]
    total_teams: Optional[int]


@_public
@dataclasses.dataclass(frozen=True)
class AgentStateInfo:
    """A ``State`` event: the agent's state, reason and when it changed
    (``state_change_time``, UTC; the text as sent in ``state_change_time_text``)."""

    state: AgentState
    reason_code_id: Optional[str]
    state_change_time_string: str
    pending_state: Optional[AgentState]
    state_change_time: Optional[_dt.datetime]
    full_name: str
    login_id: str
    extension: str
    reason_label: str
    login_name: str
    state_change_time_text: str = ""


@_public
@dataclasses.dataclass(frozen=True)
class CallParty:
    """One dialog of a ``DialogStatus`` event."""

    dialog_id: str
    state: CallState
    from_address: str
    variables: CallVariables

    @property
    def call_variables(self) -> CallVariables:
        """The same as :attr:`variables`."""
        return self.variables


@_public
@dataclasses.dataclass(frozen=True)
class DialogInfo:
    """A ``DialogStatus`` event's dialog and its associated dialog."""

    dialog: CallParty
    associated: Optional[CallParty]


@_public
@dataclasses.dataclass(frozen=True)
class ReasonCode:
    """A reason code and its label (wrap-up reasons have labels only)."""

    code: str
    label: str


@_public
@dataclasses.dataclass(frozen=True)
class CallInfo:
    """``InboundCall``: a dialog's state as Finesse reports it."""

    state: CallState
    dialog_id: Optional[str]
    from_address: str
    variables: CallVariables
    start_time: Optional[_dt.datetime]
    call_type: Optional[str]
    participants_count: Optional[int]
    participants: Tuple[str, ...]
    start_time_text: str = ""

    @property
    def call_variables(self) -> CallVariables:
        """The same as :attr:`variables`."""
        return self.variables


@_public
@dataclasses.dataclass(frozen=True)
class CallFailure:
    """``InboundCall#FAILED``: the dialog and the cause."""

    dialog_id: Optional[str]
    cause: str
    full_name: str


@_public
@dataclasses.dataclass(frozen=True)
class NewCallInfo:
    """``NewInboundCall`` / ``NewOutboundPreviewCall``: a call ringing for the
    agent. ``dialog_id`` is ``""`` if GC left it out."""

    from_address: str
    variables: CallVariables
    dialog_id: str
    call_type: Optional[str]
    start_time: Optional[_dt.datetime]
    start_time_text: str = ""

    @property
    def call_variables(self) -> CallVariables:
        """The same as :attr:`variables`."""
        return self.variables


@_public
@dataclasses.dataclass(frozen=True)
class ConsultInfo:
    """``ConsultCall``: the consult dialog's state."""

    state: CallState
    associated_dialog_id: Optional[str]
    from_address: str
    variables: CallVariables
    agent_name: str

    @property
    def call_variables(self) -> CallVariables:
        """The same as :attr:`variables`."""
        return self.variables


@_public
@dataclasses.dataclass(frozen=True)
class QueueStats:
    """One queue's statistics, in the order GC sent them."""

    name: str
    stats: Tuple[KeyValue, ...]

    def as_dict(self) -> Dict[str, str]:
        """The statistics as a dict (name -> value)."""
        return {kv.key: kv.value for kv in self.stats}


@_public
@dataclasses.dataclass(frozen=True)
class AgentSummary:
    """One entry of ``AgentsList``."""

    login_id: str
    name: str
    extension: str
    state: str
    team: str


@_public
@dataclasses.dataclass(frozen=True)
class TeamUser:
    """One member of ``TeamUsersList`` (``state_change_time`` in UTC)."""

    first_name: str
    last_name: str
    extension: str
    login_id: str
    state: str
    pending_state: str
    media_type: str
    state_change_time: Optional[_dt.datetime]
    state_change_label: str
    state_change_time_text: str = ""


@_public
@dataclasses.dataclass(frozen=True)
class Phonebook:
    """A phonebook (``kind`` is GLOBAL or TEAM)."""

    name: str
    kind: str
    id: str


@_public
@dataclasses.dataclass(frozen=True)
class PhonebookContact:
    """One phonebook contact."""

    description: str
    first_name: str
    last_name: str
    phone_number: str
    id: str


@_public
@dataclasses.dataclass(frozen=True)
class ErrorCodeInfo:
    """A GC error code with what the guide says about it."""

    code: ErrorCode
    text: str
    origin: ErrorOrigin
    action: ClientAction
    summary: str


@_public
@dataclasses.dataclass(frozen=True)
class DialogSnapshot:
    """One active dialog as last reported."""

    dialog_id: str
    state: CallState
    from_address: str
    variables: CallVariables
    call_type: Optional[str]
    #: When the call started, as GC wrote it; None if unreadable.
    start_time: Optional[_dt.datetime] = None
    start_time_text: str = ""

    @property
    def call_variables(self) -> CallVariables:
        """The same as :attr:`variables`."""
        return self.variables


@_public
@dataclasses.dataclass(frozen=True)
class AgentSnapshot:
    """What the client knows about one agent, kept from events."""

    agent_id: str
    state: Optional[AgentState]
    reason_code_id: Optional[str]
    reason_label: str
    pending_state: Optional[AgentState]
    extension: str
    details: Optional[AgentDetails]
    dialogs: Tuple[DialogSnapshot, ...]
    not_ready_reasons: Tuple[ReasonCode, ...]
    logout_reasons: Tuple[ReasonCode, ...]
    wrap_up_reasons: Tuple[ReasonCode, ...]
    team_ids: Tuple[str, ...]
    team_names: Tuple[str, ...]
    last_status_message: Optional[str]


def fast_constructor(cls: Type[_T]) -> Callable[..., _T]:
    """A constructor for a frozen dataclass taking every field (by position
    or name) that fills ``__dict__`` at once: about half the cost of the
    generated ``__init__``, which sets each field through
    ``object.__setattr__``. For the readers; users call the class."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    pairs = ", ".join(f"{n!r}: {n}" for n in names)
    namespace: Dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    exec(f"def build({', '.join(names)}):\n"  # noqa: S102 - fixed field names only
         f"    o = _new(_cls)\n    o.__dict__.update({{{pairs}}})\n    return o\n", namespace)
    build: Callable[..., _T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


# Builders with the generated readers' keyword arguments: lists become
# tuples (hashable), times datetimes, states enums.

_mk_details = fast_constructor(AgentDetails)
_mk_state_info = fast_constructor(AgentStateInfo)
_mk_party = fast_constructor(CallParty)
_mk_call = fast_constructor(CallInfo)
_mk_new_call = fast_constructor(NewCallInfo)
_mk_consult = fast_constructor(ConsultInfo)
_mk_queue = fast_constructor(QueueStats)
_mk_team_user = fast_constructor(TeamUser)
_mk_dialog = fast_constructor(DialogSnapshot)
_mk_snapshot = fast_constructor(AgentSnapshot)


def _agent_details(*, first_name: str, last_name: str, is_supervisor: bool, wrap_up_mode: str,
                   team_id: str, full_name: str, login_name: str, teams: Sequence[Team],
                   total_teams: Optional[int]) -> AgentDetails:
    return _mk_details(first_name, last_name, is_supervisor, wrap_up_mode, team_id, full_name,
                       login_name, tuple(teams), total_teams)


def _agent_state_info(*, state: AgentState, reason_code_id: Optional[str],
                      state_change_time_string: str, pending_state: Optional[AgentState],
                      state_change_time: str, full_name: str, login_id: str, extension: str,
                      reason_label: str, login_name: str) -> AgentStateInfo:
    return _mk_state_info(state, reason_code_id, state_change_time_string, pending_state,
                          parse_timestamp(state_change_time), full_name, login_id, extension,
                          reason_label, login_name, state_change_time)


def _call_party(*, dialog_id: str, state: str, from_address: str,
                call_variables: Sequence[str]) -> CallParty:
    return _mk_party(dialog_id, _state(state), from_address, CallVariables(call_variables))


def _call_info(*, state: str, dialog_id: Optional[str], from_address: str,
               call_variables: Sequence[str], start_time: str, call_type: Optional[str],
               participants_count: Optional[int], participants: Sequence[str]) -> CallInfo:
    return _mk_call(_state(state), dialog_id, from_address, CallVariables(call_variables),
                    parse_timestamp(start_time), call_type, participants_count,
                    tuple(participants), start_time)


def _new_call_info(*, from_address: str, call_variables: Sequence[str],
                   dialog_id: Optional[str], call_type: Optional[str],
                   start_time: str) -> NewCallInfo:
    return _mk_new_call(from_address, CallVariables(call_variables), dialog_id or "",
                        call_type, parse_timestamp(start_time), start_time)


def _consult_info(*, state: str, associated_dialog_id: Optional[str], from_address: str,
                  call_variables: Sequence[str], agent_name: str) -> ConsultInfo:
    return _mk_consult(_state(state), associated_dialog_id, from_address,
                       CallVariables(call_variables), agent_name)


def _queue_stats(*, name: str, stats: Sequence[KeyValue]) -> QueueStats:
    return _mk_queue(name, tuple(stats))


def _team_user(*, first_name: str, last_name: str, extension: str, login_id: str, state: str,
               pending_state: str, media_type: str, state_change_time: str,
               state_change_label: str) -> TeamUser:
    return _mk_team_user(first_name, last_name, extension, login_id, state, pending_state,
                         media_type, parse_timestamp(state_change_time), state_change_label,
                         state_change_time)


def _dialog_snapshot(*, dialog_id: str, state: str, from_address: str,
                     call_variables: Sequence[str], call_type: Optional[str],
                     start_time: str) -> DialogSnapshot:
    return _mk_dialog(dialog_id, _state(state), from_address,
                      CallVariables(call_variables), call_type, parse_timestamp(start_time),
                      start_time)


def _agent_snapshot(**kw: Any) -> AgentSnapshot:
    for name in ("dialogs", "not_ready_reasons", "logout_reasons", "wrap_up_reasons",
                 "team_ids", "team_names"):
        kw[name] = tuple(kw[name])
    return _mk_snapshot(**kw)


#: Generated record name -> what the reader calls instead.
BUILDERS: Mapping[str, Any] = {
    "KeyValue": fast_constructor(KeyValue),
    "Team": fast_constructor(Team),
    "AgentDetails": _agent_details,
    "AgentStateInfo": _agent_state_info,
    "CallParty": _call_party,
    "DialogInfo": fast_constructor(DialogInfo),
    "ReasonCode": fast_constructor(ReasonCode),
    "CallInfo": _call_info,
    "CallFailure": fast_constructor(CallFailure),
    "NewCallInfo": _new_call_info,
    "ConsultInfo": _consult_info,
    "QueueStats": _queue_stats,
    "AgentSummary": fast_constructor(AgentSummary),
    "TeamUser": _team_user,
    "Phonebook": fast_constructor(Phonebook),
    "PhonebookContact": fast_constructor(PhonebookContact),
    "ErrorCodeInfo": fast_constructor(ErrorCodeInfo),
    "DialogSnapshot": _dialog_snapshot,
    "AgentSnapshot": _agent_snapshot,
}

__all__ = [
    "CallState", "CallVariables", "KeyValue", "Team", "AgentDetails", "AgentStateInfo",
    "CallParty", "DialogInfo", "ReasonCode", "CallInfo", "CallFailure", "NewCallInfo",
    "ConsultInfo", "QueueStats", "AgentSummary", "TeamUser", "Phonebook",
    "PhonebookContact", "ErrorCodeInfo", "DialogSnapshot", "AgentSnapshot",
    "parse_timestamp",
]
