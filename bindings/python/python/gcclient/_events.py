"""Events and notifications: frozen dataclasses, one per variant.

``EventData.AGENT_STATE`` (and the other upper-case names) are the variant
classes, for ``isinstance`` and ``match``::

    match event.data:
        case EventData.AGENT_STATE(info):
            print(info.state)
        case EventData.NEW_INBOUND_CALL(call):
            print(call.dialog_id, call.variables)

``tests/test_records.py`` checks that every variant and field of the
native layer has its counterpart here.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Sequence, Tuple

from ._native import ConnectionStatus, QueueFlavor, ReasonCategory, SystemStatus
from ._records import (AgentDetails, AgentStateInfo, AgentSummary, CallFailure, CallInfo,
                       CallState, ConsultInfo, DialogInfo, ErrorCodeInfo, NewCallInfo,
                       Phonebook, PhonebookContact, QueueStats, ReasonCode, TeamUser, _public, _state,
                       fast_constructor)

if TYPE_CHECKING:
    from typing_extensions import TypeAlias



@_public
class EventData:
    """What an event says: the base of one frozen dataclass per event of the
    guide (``EventData.AGENT_STATE``, ``EventData.INBOUND_CALL``, ...)."""

    __slots__ = ()

    if TYPE_CHECKING:
        SYSTEM: TypeAlias = SystemData
        DESTINATION_RECONNECT: TypeAlias = DestinationReconnectData
        CALLBACK_SCHEDULED: TypeAlias = CallbackScheduledData
        AGENT_INFO: TypeAlias = AgentInfoData
        AGENT_STATE: TypeAlias = AgentStateData
        RE_LOGIN: TypeAlias = ReLoginData
        DIALOG_STATUS: TypeAlias = DialogStatusData
        REASON_CODES: TypeAlias = ReasonCodesData
        INBOUND_CALL: TypeAlias = InboundCallData
        INBOUND_CALL_FAILED: TypeAlias = InboundCallFailedData
        NEW_INBOUND_CALL: TypeAlias = NewInboundCallData
        NEW_OUTBOUND_PREVIEW_CALL: TypeAlias = NewOutboundPreviewCallData
        DIALOG_STATE: TypeAlias = DialogStateData
        CONSULT_CALL: TypeAlias = ConsultCallData
        TEAM_INFO_IDS: TypeAlias = TeamInfoIdsData
        TEAM_INFO_NAMES: TypeAlias = TeamInfoNamesData
        QUEUE_LIST: TypeAlias = QueueListData
        AGENTS_LIST: TypeAlias = AgentsListData
        TEAM_USERS_LIST: TypeAlias = TeamUsersListData
        TEAM_MEMBER_STATE_CHANGED: TypeAlias = TeamMemberStateChangedData
        CONFERENCE_PARTICIPANTS: TypeAlias = ConferenceParticipantsData
        PRINT_STATUS_BAR: TypeAlias = PrintStatusBarData
        PHONEBOOKS: TypeAlias = PhonebooksData
        PHONEBOOK_CONTACTS: TypeAlias = PhonebookContactsData
        TEAM_PHONEBOOKS: TypeAlias = TeamPhonebooksData
        CALLBACK_MESSAGE: TypeAlias = CallbackMessageData
        ERROR: TypeAlias = ErrorData
        UNKNOWN: TypeAlias = UnknownData
        MALFORMED: TypeAlias = MalformedData


@dataclasses.dataclass(frozen=True)
class SystemData(EventData):
    """`System#IN_SERVICE` / `OUT_OF_SERVICE`."""

    status: SystemStatus


@dataclasses.dataclass(frozen=True)
class DestinationReconnectData(EventData):
    """`DESTINATION#<topic>#RECONNECT`: GC lost this client's registration."""

    destination: str


@dataclasses.dataclass(frozen=True)
class CallbackScheduledData(EventData):
    """`CallBack#...`: a callback was scheduled, updated or cancelled."""

    info: str


@dataclasses.dataclass(frozen=True)
class AgentInfoData(EventData):
    """`AgentInfo` after login."""

    details: AgentDetails


@dataclasses.dataclass(frozen=True)
class AgentStateData(EventData):
    """`State`: the agent's state changed (or `GetState`'s answer)."""

    info: AgentStateInfo


@dataclasses.dataclass(frozen=True)
class ReLoginData(EventData):
    """`State#RE_LOGIN`: GC has no session for the agent."""


@dataclasses.dataclass(frozen=True)
class DialogStatusData(EventData):
    """`DialogStatus` at login; `dialog` is None without an active dialog."""

    dialog: Optional[DialogInfo]


@dataclasses.dataclass(frozen=True)
class ReasonCodesData(EventData):
    """`ReasonCodes`: not-ready, logout or wrap-up reasons."""

    category: ReasonCategory
    category_text: str
    codes: Tuple[ReasonCode, ...]
    full_name: str


@dataclasses.dataclass(frozen=True)
class InboundCallData(EventData):
    """`InboundCall`: a dialog's state changed."""

    call: CallInfo


@dataclasses.dataclass(frozen=True)
class InboundCallFailedData(EventData):
    """`InboundCall#FAILED`."""

    failure: CallFailure


@dataclasses.dataclass(frozen=True)
class NewInboundCallData(EventData):
    """`NewInboundCall`: a call rings for the agent."""

    call: NewCallInfo


@dataclasses.dataclass(frozen=True)
class NewOutboundPreviewCallData(EventData):
    """`NewOutboundPreviewCall`: a preview or personal callback is reserved."""

    call: NewCallInfo


@dataclasses.dataclass(frozen=True)
class DialogStateData(EventData):
    """`DialogState`: one dialog's state."""

    state: CallState
    dialog_id: str
    full_name: str


@dataclasses.dataclass(frozen=True)
class ConsultCallData(EventData):
    """`ConsultCall`: a consult call's state."""

    call: ConsultInfo


@dataclasses.dataclass(frozen=True)
class TeamInfoIdsData(EventData):
    """`TeamInfoIDs`: a supervisor's teams."""

    team_ids: Tuple[str, ...]
    full_name: str


@dataclasses.dataclass(frozen=True)
class TeamInfoNamesData(EventData):
    """`TeamInfoNames`: a supervisor's team names."""

    team_names: Tuple[str, ...]
    full_name: str


@dataclasses.dataclass(frozen=True)
class QueueListData(EventData):
    """`QueueList`: queue statistics."""

    flavor: QueueFlavor
    queues: Tuple[QueueStats, ...]
    full_name: str


@dataclasses.dataclass(frozen=True)
class AgentsListData(EventData):
    """`AgentsList`: every logged-in user."""

    agents: Tuple[AgentSummary, ...]


@dataclasses.dataclass(frozen=True)
class TeamUsersListData(EventData):
    """`TeamUsersList`: a team's members."""

    users: Tuple[TeamUser, ...]


@dataclasses.dataclass(frozen=True)
class TeamMemberStateChangedData(EventData):
    """`TeamMemberStateChanged`: a subscribed team member's state."""

    team_id: str
    state: str
    extra: Tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ConferenceParticipantsData(EventData):
    """`ConferenceParticipants`."""

    extensions: Tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class PrintStatusBarData(EventData):
    """`Control#PrintStatusBar`: a message for the agent's window."""

    text: str


@dataclasses.dataclass(frozen=True)
class PhonebooksData(EventData):
    """`Phonebooks` (`found` is False for `NoPhoneBookFound`)."""

    found: bool
    phonebooks: Tuple[Phonebook, ...]


@dataclasses.dataclass(frozen=True)
class PhonebookContactsData(EventData):
    """`PhonebookContacts`."""

    found: bool
    contacts: Tuple[PhonebookContact, ...]


@dataclasses.dataclass(frozen=True)
class TeamPhonebooksData(EventData):
    """`TeamPhoneBooks`."""

    found: bool
    phonebooks: Tuple[Phonebook, ...]


@dataclasses.dataclass(frozen=True)
class CallbackMessageData(EventData):
    """A title + data event (`SkillGroups`, `Supervisors`, `CallBack`)."""

    title: str
    data: str


@dataclasses.dataclass(frozen=True)
class ErrorData(EventData):
    """`Error`: GC refused a command (commands raise GcRefusedError instead)."""

    error: ErrorCodeInfo
    details: Tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class UnknownData(EventData):
    """Well-formed, of a type this version does not know (see `Event.raw`)."""


@dataclasses.dataclass(frozen=True)
class MalformedData(EventData):
    """A known type whose fields could not be read."""

    reason: str


_VARIANTS = {
    "SYSTEM": SystemData,
    "DESTINATION_RECONNECT": DestinationReconnectData,
    "CALLBACK_SCHEDULED": CallbackScheduledData,
    "AGENT_INFO": AgentInfoData,
    "AGENT_STATE": AgentStateData,
    "RE_LOGIN": ReLoginData,
    "DIALOG_STATUS": DialogStatusData,
    "REASON_CODES": ReasonCodesData,
    "INBOUND_CALL": InboundCallData,
    "INBOUND_CALL_FAILED": InboundCallFailedData,
    "NEW_INBOUND_CALL": NewInboundCallData,
    "NEW_OUTBOUND_PREVIEW_CALL": NewOutboundPreviewCallData,
    "DIALOG_STATE": DialogStateData,
    "CONSULT_CALL": ConsultCallData,
    "TEAM_INFO_IDS": TeamInfoIdsData,
    "TEAM_INFO_NAMES": TeamInfoNamesData,
    "QUEUE_LIST": QueueListData,
    "AGENTS_LIST": AgentsListData,
    "TEAM_USERS_LIST": TeamUsersListData,
    "TEAM_MEMBER_STATE_CHANGED": TeamMemberStateChangedData,
    "CONFERENCE_PARTICIPANTS": ConferenceParticipantsData,
    "PRINT_STATUS_BAR": PrintStatusBarData,
    "PHONEBOOKS": PhonebooksData,
    "PHONEBOOK_CONTACTS": PhonebookContactsData,
    "TEAM_PHONEBOOKS": TeamPhonebooksData,
    "CALLBACK_MESSAGE": CallbackMessageData,
    "ERROR": ErrorData,
    "UNKNOWN": UnknownData,
    "MALFORMED": MalformedData,
}

for _name, _cls in _VARIANTS.items():
    _cls.__module__ = "gcclient"
    _cls.__qualname__ = "EventData." + _name
    setattr(EventData, _name, _cls)



@_public
@dataclasses.dataclass(frozen=True)
class Event:
    """An event from GC. ``data`` is one :class:`EventData` variant; each
    event is an instance of its kind's class (:class:`AgentStateEvent`,
    :class:`InboundCallEvent`, ... in ``gcclient``), whose ``data`` is typed.

    ``agent`` is None for system-wide events; ``kind`` the variant as a
    snake_case name (``agent_state``); ``wire_type`` the type as spelled on
    the wire (``State``); ``raw`` the body as received.
    """

    agent: Optional[str]
    kind: str
    wire_type: str
    data: EventData
    raw: str


@_public
class Notification:
    """What a subscriber receives: ``Notification.GC_EVENT(event)`` or the
    client's own news (``STATUS``, ``CLOCK_SKEW``, ``RELOGIN``, ``LAGGED``)."""

    __slots__ = ()

    if TYPE_CHECKING:
        GC_EVENT: TypeAlias = GcEventNotification
        STATUS: TypeAlias = StatusNotification
        CLOCK_SKEW: TypeAlias = ClockSkewNotification
        RELOGIN: TypeAlias = ReloginNotification
        LAGGED: TypeAlias = LaggedNotification


@dataclasses.dataclass(frozen=True)
class GcEventNotification(Notification):
    """An event from GC (including unknown and malformed ones)."""

    event: Event


@dataclasses.dataclass(frozen=True)
class StatusNotification(Notification):
    """The connection status changed."""

    status: ConnectionStatus
    detail: Optional[str]


@dataclasses.dataclass(frozen=True)
class ClockSkewNotification(Notification):
    """The local clock minus the broker's, past ``clock_skew_warn_ms``."""

    skew_ms: int


@dataclasses.dataclass(frozen=True)
class ReloginNotification(Notification):
    """An automatic re-login finished (``error`` is None on success)."""

    agent: str
    error: Optional[str]


@dataclasses.dataclass(frozen=True)
class LaggedNotification(Notification):
    """This subscriber fell behind and ``dropped`` notifications were lost."""

    dropped: int


for _name, _cls in {"GC_EVENT": GcEventNotification, "STATUS": StatusNotification,
                    "CLOCK_SKEW": ClockSkewNotification, "RELOGIN": ReloginNotification,
                    "LAGGED": LaggedNotification}.items():
    _cls.__module__ = "gcclient"
    _cls.__qualname__ = "Notification." + _name
    setattr(Notification, _name, _cls)


_FAST: Dict[type, Callable[..., Any]] = {cls: fast_constructor(cls) for cls in _VARIANTS.values()}


class NativeEventData:
    """What the generated reader calls as ``EventData.X(...)``: builders that
    turn lists into tuples and states into enums, classes where nothing
    needs converting."""

    SYSTEM = fast_constructor(SystemData)
    DESTINATION_RECONNECT = fast_constructor(DestinationReconnectData)
    CALLBACK_SCHEDULED = fast_constructor(CallbackScheduledData)
    AGENT_INFO = fast_constructor(AgentInfoData)
    AGENT_STATE = fast_constructor(AgentStateData)
    RE_LOGIN = fast_constructor(ReLoginData)
    DIALOG_STATUS = fast_constructor(DialogStatusData)

    @staticmethod
    def REASON_CODES(category: Any, category_text: Any, codes: Any, full_name: Any) -> Any:
        return _FAST[ReasonCodesData](category, category_text, tuple(codes), full_name)

    INBOUND_CALL = fast_constructor(InboundCallData)
    INBOUND_CALL_FAILED = fast_constructor(InboundCallFailedData)
    NEW_INBOUND_CALL = fast_constructor(NewInboundCallData)
    NEW_OUTBOUND_PREVIEW_CALL = fast_constructor(NewOutboundPreviewCallData)

    @staticmethod
    def DIALOG_STATE(state: Any, dialog_id: Any, full_name: Any) -> Any:
        return _FAST[DialogStateData](_state(state), dialog_id, full_name)

    CONSULT_CALL = fast_constructor(ConsultCallData)

    @staticmethod
    def TEAM_INFO_IDS(team_ids: Any, full_name: Any) -> Any:
        return _FAST[TeamInfoIdsData](tuple(team_ids), full_name)

    @staticmethod
    def TEAM_INFO_NAMES(team_names: Any, full_name: Any) -> Any:
        return _FAST[TeamInfoNamesData](tuple(team_names), full_name)

    @staticmethod
    def QUEUE_LIST(flavor: Any, queues: Any, full_name: Any) -> Any:
        return _FAST[QueueListData](flavor, tuple(queues), full_name)

    @staticmethod
    def AGENTS_LIST(agents: Any) -> Any:
        return _FAST[AgentsListData](tuple(agents))

    @staticmethod
    def TEAM_USERS_LIST(users: Any) -> Any:
        return _FAST[TeamUsersListData](tuple(users))

    @staticmethod
    def TEAM_MEMBER_STATE_CHANGED(team_id: Any, state: Any, extra: Any) -> Any:
        return _FAST[TeamMemberStateChangedData](team_id, state, tuple(extra))

    @staticmethod
    def CONFERENCE_PARTICIPANTS(extensions: Any) -> Any:
        return _FAST[ConferenceParticipantsData](tuple(extensions))

    PRINT_STATUS_BAR = fast_constructor(PrintStatusBarData)

    @staticmethod
    def PHONEBOOKS(found: Any, phonebooks: Any) -> Any:
        return _FAST[PhonebooksData](found, tuple(phonebooks))

    @staticmethod
    def PHONEBOOK_CONTACTS(found: Any, contacts: Any) -> Any:
        return _FAST[PhonebookContactsData](found, tuple(contacts))

    @staticmethod
    def TEAM_PHONEBOOKS(found: Any, phonebooks: Any) -> Any:
        return _FAST[TeamPhonebooksData](found, tuple(phonebooks))

    CALLBACK_MESSAGE = fast_constructor(CallbackMessageData)

    @staticmethod
    def ERROR(error: Any, details: Any) -> Any:
        return _FAST[ErrorData](error, tuple(details))

    UNKNOWN = fast_constructor(UnknownData)
    MALFORMED = fast_constructor(MalformedData)


__all__ = ["EventData", "Event", "Notification"]
