"""Names for the reply events of typed commands: ``<Kind>Event`` for every
``EventData`` kind. For now each is the generic :class:`Event` (a typed
reply is an ``Event`` whose ``data`` is that kind), so annotations say
what a command returns without changing what it returns."""

from ._native import Event

SystemEvent = Event
DestinationReconnectEvent = Event
CallbackScheduledEvent = Event
AgentInfoEvent = Event
AgentStateEvent = Event
ReLoginEvent = Event
DialogStatusEvent = Event
ReasonCodesEvent = Event
InboundCallEvent = Event
InboundCallFailedEvent = Event
NewInboundCallEvent = Event
NewOutboundPreviewCallEvent = Event
DialogStateEvent = Event
ConsultCallEvent = Event
TeamInfoIdsEvent = Event
TeamInfoNamesEvent = Event
QueueListEvent = Event
AgentsListEvent = Event
TeamUsersListEvent = Event
TeamMemberStateChangedEvent = Event
ConferenceParticipantsEvent = Event
PrintStatusBarEvent = Event
PhonebooksEvent = Event
PhonebookContactsEvent = Event
TeamPhonebooksEvent = Event
CallbackMessageEvent = Event
ErrorEvent = Event
UnknownEvent = Event
MalformedEvent = Event

__all__ = ["SystemEvent", "DestinationReconnectEvent", "CallbackScheduledEvent", "AgentInfoEvent", "AgentStateEvent", "ReLoginEvent", "DialogStatusEvent", "ReasonCodesEvent", "InboundCallEvent", "InboundCallFailedEvent", "NewInboundCallEvent", "NewOutboundPreviewCallEvent", "DialogStateEvent", "ConsultCallEvent", "TeamInfoIdsEvent", "TeamInfoNamesEvent", "QueueListEvent", "AgentsListEvent", "TeamUsersListEvent", "TeamMemberStateChangedEvent", "ConferenceParticipantsEvent", "PrintStatusBarEvent", "PhonebooksEvent", "PhonebookContactsEvent", "TeamPhonebooksEvent", "CallbackMessageEvent", "ErrorEvent", "UnknownEvent", "MalformedEvent"]
