"""Typed events: one narrow :class:`~gcclient.Event` subclass per kind,
so that ``reply = await agent.make_ready()`` is an :class:`AgentStateEvent`
and ``reply.data.info.state`` type-checks. Every event the library hands
out (replies, iterators, listeners) is an instance of its kind's class.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict, Optional, Type

from . import _events as e
from ._events import Event, EventData
from ._records import fast_constructor



@dataclasses.dataclass(frozen=True)
class SystemEvent(Event):
    """An event whose ``data`` is :class:`EventData.SYSTEM`: `System#IN_SERVICE` / `OUT_OF_SERVICE`."""

    data: e.SystemData


@dataclasses.dataclass(frozen=True)
class DestinationReconnectEvent(Event):
    """An event whose ``data`` is :class:`EventData.DESTINATION_RECONNECT`: `DESTINATION#<topic>#RECONNECT`: GC lost this client's registration."""

    data: e.DestinationReconnectData


@dataclasses.dataclass(frozen=True)
class CallbackScheduledEvent(Event):
    """An event whose ``data`` is :class:`EventData.CALLBACK_SCHEDULED`: `CallBack#...`: a callback was scheduled, updated or cancelled."""

    data: e.CallbackScheduledData


@dataclasses.dataclass(frozen=True)
class AgentInfoEvent(Event):
    """An event whose ``data`` is :class:`EventData.AGENT_INFO`: `AgentInfo` after login."""

    data: e.AgentInfoData


@dataclasses.dataclass(frozen=True)
class AgentStateEvent(Event):
    """An event whose ``data`` is :class:`EventData.AGENT_STATE`: `State`: the agent's state changed (or `GetState`'s answer)."""

    data: e.AgentStateData


@dataclasses.dataclass(frozen=True)
class ReLoginEvent(Event):
    """An event whose ``data`` is :class:`EventData.RE_LOGIN`: `State#RE_LOGIN`: GC has no session for the agent."""

    data: e.ReLoginData


@dataclasses.dataclass(frozen=True)
class DialogStatusEvent(Event):
    """An event whose ``data`` is :class:`EventData.DIALOG_STATUS`: `DialogStatus` at login; `dialog` is None without an active dialog."""

    data: e.DialogStatusData


@dataclasses.dataclass(frozen=True)
class ReasonCodesEvent(Event):
    """An event whose ``data`` is :class:`EventData.REASON_CODES`: `ReasonCodes`: not-ready, logout or wrap-up reasons."""

    data: e.ReasonCodesData


@dataclasses.dataclass(frozen=True)
class InboundCallEvent(Event):
    """An event whose ``data`` is :class:`EventData.INBOUND_CALL`: `InboundCall`: a dialog's state changed."""

    data: e.InboundCallData


@dataclasses.dataclass(frozen=True)
class InboundCallFailedEvent(Event):
    """An event whose ``data`` is :class:`EventData.INBOUND_CALL_FAILED`: `InboundCall#FAILED`."""

    data: e.InboundCallFailedData


@dataclasses.dataclass(frozen=True)
class NewInboundCallEvent(Event):
    """An event whose ``data`` is :class:`EventData.NEW_INBOUND_CALL`: `NewInboundCall`: a call rings for the agent."""

    data: e.NewInboundCallData


@dataclasses.dataclass(frozen=True)
class NewOutboundPreviewCallEvent(Event):
    """An event whose ``data`` is :class:`EventData.NEW_OUTBOUND_PREVIEW_CALL`: `NewOutboundPreviewCall`: a preview or personal callback is reserved."""

    data: e.NewOutboundPreviewCallData


@dataclasses.dataclass(frozen=True)
class DialogStateEvent(Event):
    """An event whose ``data`` is :class:`EventData.DIALOG_STATE`: `DialogState`: one dialog's state."""

    data: e.DialogStateData


@dataclasses.dataclass(frozen=True)
class ConsultCallEvent(Event):
    """An event whose ``data`` is :class:`EventData.CONSULT_CALL`: `ConsultCall`: a consult call's state."""

    data: e.ConsultCallData


@dataclasses.dataclass(frozen=True)
class TeamInfoIdsEvent(Event):
    """An event whose ``data`` is :class:`EventData.TEAM_INFO_IDS`: `TeamInfoIDs`: a supervisor's teams."""

    data: e.TeamInfoIdsData


@dataclasses.dataclass(frozen=True)
class TeamInfoNamesEvent(Event):
    """An event whose ``data`` is :class:`EventData.TEAM_INFO_NAMES`: `TeamInfoNames`: a supervisor's team names."""

    data: e.TeamInfoNamesData


@dataclasses.dataclass(frozen=True)
class QueueListEvent(Event):
    """An event whose ``data`` is :class:`EventData.QUEUE_LIST`: `QueueList`: queue statistics."""

    data: e.QueueListData


@dataclasses.dataclass(frozen=True)
class AgentsListEvent(Event):
    """An event whose ``data`` is :class:`EventData.AGENTS_LIST`: `AgentsList`: every logged-in user."""

    data: e.AgentsListData


@dataclasses.dataclass(frozen=True)
class TeamUsersListEvent(Event):
    """An event whose ``data`` is :class:`EventData.TEAM_USERS_LIST`: `TeamUsersList`: a team's members."""

    data: e.TeamUsersListData


@dataclasses.dataclass(frozen=True)
class TeamMemberStateChangedEvent(Event):
    """An event whose ``data`` is :class:`EventData.TEAM_MEMBER_STATE_CHANGED`: `TeamMemberStateChanged`: a subscribed team member's state."""

    data: e.TeamMemberStateChangedData


@dataclasses.dataclass(frozen=True)
class ConferenceParticipantsEvent(Event):
    """An event whose ``data`` is :class:`EventData.CONFERENCE_PARTICIPANTS`: `ConferenceParticipants`."""

    data: e.ConferenceParticipantsData


@dataclasses.dataclass(frozen=True)
class PrintStatusBarEvent(Event):
    """An event whose ``data`` is :class:`EventData.PRINT_STATUS_BAR`: `Control#PrintStatusBar`: a message for the agent's window."""

    data: e.PrintStatusBarData


@dataclasses.dataclass(frozen=True)
class PhonebooksEvent(Event):
    """An event whose ``data`` is :class:`EventData.PHONEBOOKS`: `Phonebooks` (`found` is False for `NoPhoneBookFound`)."""

    data: e.PhonebooksData


@dataclasses.dataclass(frozen=True)
class PhonebookContactsEvent(Event):
    """An event whose ``data`` is :class:`EventData.PHONEBOOK_CONTACTS`: `PhonebookContacts`."""

    data: e.PhonebookContactsData


@dataclasses.dataclass(frozen=True)
class TeamPhonebooksEvent(Event):
    """An event whose ``data`` is :class:`EventData.TEAM_PHONEBOOKS`: `TeamPhoneBooks`."""

    data: e.TeamPhonebooksData


@dataclasses.dataclass(frozen=True)
class CallbackMessageEvent(Event):
    """An event whose ``data`` is :class:`EventData.CALLBACK_MESSAGE`: A title + data event (`SkillGroups`, `Supervisors`, `CallBack`)."""

    data: e.CallbackMessageData


@dataclasses.dataclass(frozen=True)
class ErrorEvent(Event):
    """An event whose ``data`` is :class:`EventData.ERROR`: `Error`: GC refused a command (commands raise GcRefusedError instead)."""

    data: e.ErrorData


@dataclasses.dataclass(frozen=True)
class UnknownEvent(Event):
    """An event whose ``data`` is :class:`EventData.UNKNOWN`: Well-formed, of a type this version does not know (see `Event.raw`)."""

    data: e.UnknownData


@dataclasses.dataclass(frozen=True)
class MalformedEvent(Event):
    """An event whose ``data`` is :class:`EventData.MALFORMED`: A known type whose fields could not be read."""

    data: e.MalformedData


#: The event class of each data variant.
BY_DATA: Dict[type, Type[Event]] = {
    e.SystemData: SystemEvent,
    e.DestinationReconnectData: DestinationReconnectEvent,
    e.CallbackScheduledData: CallbackScheduledEvent,
    e.AgentInfoData: AgentInfoEvent,
    e.AgentStateData: AgentStateEvent,
    e.ReLoginData: ReLoginEvent,
    e.DialogStatusData: DialogStatusEvent,
    e.ReasonCodesData: ReasonCodesEvent,
    e.InboundCallData: InboundCallEvent,
    e.InboundCallFailedData: InboundCallFailedEvent,
    e.NewInboundCallData: NewInboundCallEvent,
    e.NewOutboundPreviewCallData: NewOutboundPreviewCallEvent,
    e.DialogStateData: DialogStateEvent,
    e.ConsultCallData: ConsultCallEvent,
    e.TeamInfoIdsData: TeamInfoIdsEvent,
    e.TeamInfoNamesData: TeamInfoNamesEvent,
    e.QueueListData: QueueListEvent,
    e.AgentsListData: AgentsListEvent,
    e.TeamUsersListData: TeamUsersListEvent,
    e.TeamMemberStateChangedData: TeamMemberStateChangedEvent,
    e.ConferenceParticipantsData: ConferenceParticipantsEvent,
    e.PrintStatusBarData: PrintStatusBarEvent,
    e.PhonebooksData: PhonebooksEvent,
    e.PhonebookContactsData: PhonebookContactsEvent,
    e.TeamPhonebooksData: TeamPhonebooksEvent,
    e.CallbackMessageData: CallbackMessageEvent,
    e.ErrorData: ErrorEvent,
    e.UnknownData: UnknownEvent,
    e.MalformedData: MalformedEvent,
}

#: The event class of GC's reply of each wire type (``State`` -> AgentStateEvent).
BY_WIRE_TYPE: Dict[str, Type[Event]] = {
    "System": SystemEvent,
    "DESTINATION": DestinationReconnectEvent,
    "AgentInfo": AgentInfoEvent,
    "State": AgentStateEvent,
    "DialogStatus": DialogStatusEvent,
    "ReasonCodes": ReasonCodesEvent,
    "InboundCall": InboundCallEvent,
    "NewInboundCall": NewInboundCallEvent,
    "NewOutboundPreviewCall": NewOutboundPreviewCallEvent,
    "DialogState": DialogStateEvent,
    "ConsultCall": ConsultCallEvent,
    "TeamInfoIDs": TeamInfoIdsEvent,
    "TeamInfoNames": TeamInfoNamesEvent,
    "QueueList": QueueListEvent,
    "AgentsList": AgentsListEvent,
    "TeamUsersList": TeamUsersListEvent,
    "TeamMemberStateChanged": TeamMemberStateChangedEvent,
    "ConferenceParticipants": ConferenceParticipantsEvent,
    "Phonebooks": PhonebooksEvent,
    "PhonebookContacts": PhonebookContactsEvent,
    "TeamPhoneBooks": TeamPhonebooksEvent,
    "SkillGroups": CallbackMessageEvent,
    "Supervisors": CallbackMessageEvent,
    "CallBack": CallbackScheduledEvent,
}


for _cls in BY_DATA.values():
    _cls.__module__ = "gcclient"

_BUILD = {data: fast_constructor(cls) for data, cls in BY_DATA.items()}
_BUILD_EVENT = fast_constructor(Event)


def make_event(*, agent: Optional[str], kind: str, wire_type: str, data: EventData,
               raw: str) -> Event:
    """What the generated reader calls as ``Event(...)``: the event as its
    kind's class."""
    build: Callable[..., Event] = _BUILD.get(type(data), _BUILD_EVENT)
    return build(agent, kind, wire_type, data, raw)


__all__ = [

    "SystemEvent", "DestinationReconnectEvent", "CallbackScheduledEvent", "AgentInfoEvent", "AgentStateEvent", "ReLoginEvent", "DialogStatusEvent", "ReasonCodesEvent", "InboundCallEvent", "InboundCallFailedEvent", "NewInboundCallEvent", "NewOutboundPreviewCallEvent", "DialogStateEvent", "ConsultCallEvent", "TeamInfoIdsEvent", "TeamInfoNamesEvent", "QueueListEvent", "AgentsListEvent", "TeamUsersListEvent", "TeamMemberStateChangedEvent", "ConferenceParticipantsEvent", "PrintStatusBarEvent", "PhonebooksEvent", "PhonebookContactsEvent", "TeamPhonebooksEvent", "CallbackMessageEvent", "ErrorEvent", "UnknownEvent", "MalformedEvent",
]
