"""gcclient: a client for ExpertFlow's Generic Connector (Cisco Finesse)
over ActiveMQ, on a Rust core.

    import gcclient

    async with gcclient.connect("tcp://mq:61613") as client:
        agent = client.agent("1001")
        await agent.login("secret", "5001")
        await agent.make_ready()
        async for event in client.events():
            print(event.kind, event.agent)

The blocking form is in :mod:`gcclient.sync`. Log records of the library go
to the ``gcclient`` logger.
"""

from . import _logging  # noqa: F401  (installs the log forwarding)
from ._client import Agent, Client, Events, Notifications, Subscription, connect, start
from ._config import Config
from ._errors import (BrokerUnreachableError, ClosedError, ConfigError, ConnectionLostError,
                      GcClientError, GcOutOfServiceError, GcRefusedError, InternalError,
                      SessionLostError, UnexpectedReplyError, BrokerAuthError,
                      InvalidArgumentError, NotInServiceError, RequestTimeoutError,
                      TransportError)
from ._logging import refresh_log_level
from ._native import (AgentDetails, AgentSnapshot, AgentState, AgentStateInfo, AgentSummary,
                      CallFailure, CallInfo, CallParty, ClientAction, ConnectionStatus,
                      ConsultInfo, DialogInfo, DialogSnapshot, ErrorCode, ErrorCodeInfo,
                      ErrorOrigin, Event, EventData, KeyValue, NewCallInfo, Notification,
                      Phonebook, PhonebookContact, QueueFlavor, QueueStats, ReasonCategory,
                      ReasonCode, SystemStatus, Team, TeamUser)
from ._native import agent_state_can_transition as can_transition
from ._native import agent_state_name as state_name
from ._native import error_code_info, parse_event
from ._native import version as _version
from . import sync  # noqa: E402  (the blocking API: gcclient.sync.connect)

__version__: str = _version()

__all__ = [
    "connect", "start", "Client", "Agent", "Config", "Events", "Notifications", "Subscription",
    "Event", "EventData", "Notification", "AgentState", "ConnectionStatus", "ErrorCode",
    "ErrorCodeInfo", "ErrorOrigin", "ClientAction", "AgentSnapshot", "DialogSnapshot",
    "AgentDetails", "AgentStateInfo", "AgentSummary", "CallFailure", "CallInfo", "CallParty",
    "ConsultInfo", "DialogInfo", "KeyValue", "NewCallInfo", "Phonebook", "PhonebookContact",
    "QueueFlavor", "QueueStats", "ReasonCategory", "ReasonCode", "SystemStatus", "Team",
    "TeamUser", "GcClientError", "InvalidArgumentError", "ConfigError", "TransportError",
    "GcOutOfServiceError", "NotInServiceError", "RequestTimeoutError", "GcRefusedError",
    "ConnectionLostError", "ClosedError", "BrokerUnreachableError", "InternalError",
    "SessionLostError", "UnexpectedReplyError", "BrokerAuthError",
    "can_transition", "state_name", "error_code_info", "parse_event", "refresh_log_level",
]
