"""gcclient: a client for ExpertFlow's Generic Connector (Cisco Finesse)
over ActiveMQ, on a Rust core.

    import gcclient

    async with gcclient.connect("tcp://mq:61613") as client:
        agent = client.agent("1001")
        await agent.login("secret", "5001")
        ready = await agent.make_ready()          # an AgentStateEvent
        print(ready.data.info.state)
        async for event in client.events():
            print(event)

The blocking form is in :mod:`gcclient.sync`; a simulator for tests in
:mod:`gcclient.testing`. Log records go to the ``gcclient`` logger (which
has a NullHandler).
"""

from typing import cast as _cast

from . import _lift  # noqa: F401  (first: the native readers build gcclient's records)
from . import _logging  # noqa: F401  (installs the log forwarding)
from ._client import Agent, Client, Events, Notifications, Subscription, connect, start
from ._config import Config
from ._errors import (BrokerAuthError, BrokerUnreachableError, ClosedError, ConfigError,
                      ConnectionLostError, GcClientError, GcOutOfServiceError, GcRefusedError,
                      InternalError, InvalidArgumentError, NotInServiceError,
                      RequestTimeoutError, SessionLostError, TransportError,
                      UnexpectedReplyError)
from ._events import Event, EventData, Notification
from ._logging import refresh_log_level
from ._native import (AgentState, ClientAction, ConnectionStatus, ErrorOrigin, QueueFlavor,
                      ReasonCategory, SystemStatus)
from ._native import ErrorCodeKind as ErrorCode
from ._native import agent_state_can_transition as _can_transition
from ._native import agent_state_name as _state_name
from ._native import error_code_info as _error_code_info
from ._native import parse_event as _parse_event
from ._native import version as _version
# Every record and every event class (both modules are generated, with
# their ``__all__``).
from ._records import *  # noqa: F401,F403
from ._replies import *  # noqa: F401,F403
from . import _records, _replies
from . import sync  # noqa: E402  (the blocking API: gcclient.sync.connect)

__version__: str = _version()

# uniffi gives these enums no docstring (their Rust definitions have none).
QueueFlavor.__doc__ = "The queue statistics layout GC sent: UCCE (8 values), UCCX (9)."
SystemStatus.__doc__ = "GC's status in a ``System`` event: IN_SERVICE or OUT_OF_SERVICE."
ReasonCategory.__doc__ = "The category of a ``ReasonCodes`` event (NOT_READY, LOGOUT, WRAP_UP)."


def parse_event(body: str) -> Event:
    """Parses one event body as GC sends it (for tools and tests); never
    fails: an unreadable body is a :class:`MalformedEvent`."""
    return _cast(Event, _parse_event(body))


def can_transition(from_state: AgentState, to_state: AgentState) -> bool:
    """Whether Finesse (UCCE) allows the agent state change ``from -> to``."""
    return _can_transition(from_state, to_state)


def state_name(state: AgentState) -> str:
    """The wire spelling of an agent state (``NOT_READY``)."""
    return _state_name(state)


def error_code_info(text: str) -> ErrorCodeInfo:
    """What the guide says about an error code given as on the wire."""
    return _cast(ErrorCodeInfo, _error_code_info(text))


__all__ = [
    "connect", "start", "Client", "Agent", "Config", "Events", "Notifications", "Subscription",
    "Event", "EventData", "Notification", "AgentState", "ConnectionStatus", "ErrorCode",
    "ErrorOrigin", "ClientAction", "QueueFlavor", "ReasonCategory", "SystemStatus",
    "GcClientError", "InvalidArgumentError", "ConfigError", "TransportError",
    "GcOutOfServiceError", "NotInServiceError", "RequestTimeoutError", "GcRefusedError",
    "ConnectionLostError", "ClosedError", "BrokerUnreachableError", "InternalError",
    "SessionLostError", "UnexpectedReplyError", "BrokerAuthError", "can_transition",
    "state_name", "error_code_info", "parse_event", "refresh_log_level",
]
__all__ += _records.__all__
__all__ += _replies.__all__
