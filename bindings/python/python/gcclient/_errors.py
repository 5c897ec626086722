"""Typed exceptions, mapped from the native ``GcError`` variants."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Awaitable, Callable, NoReturn, TypeVar

from . import _native

if TYPE_CHECKING:
    from ._records import ErrorCodeInfo
    from ._replies import ErrorEvent

T = TypeVar("T")


class GcClientError(Exception):
    """Base of every gcclient error. ``detail`` is the library's message.

    Every error survives ``pickle`` (multiprocessing) with its attributes,
    and is shown as ``gcclient.<Name>``.
    """

    def __init__(self, detail: str, *more: Any) -> None:
        # One argument only: OSError subclasses (TimeoutError,
        # ConnectionError) would read more as errno/strerror.
        super().__init__(detail)
        self.detail = detail
        self._init_args = (detail, *more)

    def __reduce__(self) -> Any:
        state = {k: v for k, v in self.__dict__.items() if k != "_init_args"}
        return (type(self), self._init_args, state)

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.detail!r})"


class InvalidArgumentError(GcClientError, ValueError):
    """An argument the protocol cannot carry (e.g. a ``#`` in an extension);
    nothing was sent."""

    def __init__(self, detail: str, command: str, argument: str, reason: str) -> None:
        super().__init__(detail, command, argument, reason)
        self.command, self.argument, self.reason = command, argument, reason


class ConfigError(GcClientError, ValueError):
    """A configuration value that cannot work; the message names the setting."""


class TransportError(GcClientError, ConnectionError):
    """The broker did not confirm a command, or refused it."""


class GcOutOfServiceError(GcClientError):
    """GC said ``System#OUT_OF_SERVICE``; commands fail fast until it is back."""


class NotInServiceError(GcClientError):
    """GC is not in service yet (or the broker connection is down)."""

    def __init__(self, detail: str, status: _native.ConnectionStatus) -> None:
        super().__init__(detail, status)
        self.status = status


class RequestTimeoutError(GcClientError, TimeoutError):
    """The broker took the command but GC did not answer in time."""

    def __init__(self, detail: str, command: str, agent: str, after_ms: int) -> None:
        super().__init__(detail, command, agent, after_ms)
        self.command, self.agent, self.after_ms = command, agent, after_ms


class GcRefusedError(GcClientError):
    """GC answered with an ``Error`` event.

    ``code`` is an :class:`ErrorCode` (``ErrorCode.OTHER`` for codes the guide
    does not list; ``code_text`` is then the spelling GC used), ``info`` says
    what the guide suggests doing, ``event`` is the error event itself.
    """

    def __init__(self, detail: str, agent: str, info: "ErrorCodeInfo",
                 event: "ErrorEvent") -> None:
        super().__init__(detail, agent, info, event)
        self.agent = agent
        self.info = info
        self.code = info.code
        self.code_text = info.text
        self.event = event


class ConnectionLostError(GcClientError, ConnectionError):
    """The broker connection dropped while the command waited for its reply."""

    def __init__(self, detail: str, command: str) -> None:
        super().__init__(detail, command)
        self.command = command


class ClosedError(GcClientError):
    """The client is closed."""


class BrokerUnreachableError(GcClientError, ConnectionError):
    """No broker answered within the connect timeout."""

    def __init__(self, detail: str, after_ms: int, last_error: str) -> None:
        super().__init__(detail, after_ms, last_error)
        self.after_ms, self.last_error = after_ms, last_error


class SessionLostError(GcClientError):
    """GC answered ``State#RE_LOGIN``: it has no session for the agent, so the
    command was **not** carried out. The client logs the agent in again."""

    def __init__(self, detail: str, command: str, agent: str) -> None:
        super().__init__(detail, command, agent)
        self.command, self.agent = command, agent


class UnexpectedReplyError(GcClientError):
    """GC answered with an event that is not a reply to this command."""

    def __init__(self, detail: str, command: str, agent: str, got: str) -> None:
        super().__init__(detail, command, agent, got)
        self.command, self.agent, self.got = command, agent, got


class BrokerAuthError(GcClientError, ConnectionError):
    """The broker refused the STOMP login (broker user or passcode)."""

    def __init__(self, detail: str, broker: str) -> None:
        super().__init__(detail, broker)
        self.broker = broker


class InternalError(GcClientError):
    """A fault inside the bindings (a bug)."""


for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, GcClientError):
        # Tracebacks and pickle name the module users import from.
        _cls.__module__ = "gcclient"


def map_error(e: Exception) -> Exception:
    """The typed exception for a native error; other exceptions unchanged."""
    # The generated module defines GcError twice (base, then the variants'
    # namespace), which type checkers cannot follow.
    E: Any = _native.GcError
    if not isinstance(e, E):
        return e
    if isinstance(e, E.InvalidArgument):
        return InvalidArgumentError(e.detail, e.command, e.argument, e.reason)
    if isinstance(e, E.Config):
        return ConfigError(e.detail)
    if isinstance(e, E.Transport):
        return TransportError(e.detail)
    if isinstance(e, E.GcOutOfService):
        return GcOutOfServiceError(e.detail)
    if isinstance(e, E.NotInService):
        return NotInServiceError(e.detail, e.status)
    if isinstance(e, E.Timeout):
        return RequestTimeoutError(e.detail, e.command, e.agent, e.after_ms)
    if isinstance(e, E.Gc):
        return GcRefusedError(e.detail, e.agent, e.error, e.event)
    if isinstance(e, E.ConnectionLost):
        return ConnectionLostError(e.detail, e.command)
    if isinstance(e, E.Closed):
        return ClosedError(e.detail)
    if isinstance(e, E.BrokerUnreachable):
        err = BrokerUnreachableError(e.detail, e.after_ms, e.last_error)
        if e.last_error:
            # What the last attempt failed with, as Python's own error type.
            err.__cause__ = ConnectionError(e.last_error)
        return err
    if isinstance(e, E.SessionLost):
        return SessionLostError(e.detail, e.command, e.agent)
    if isinstance(e, E.UnexpectedReply):
        return UnexpectedReplyError(e.detail, e.command, e.agent, e.got)
    if isinstance(e, E.BrokerAuth):
        return BrokerAuthError(e.detail, e.broker)
    return InternalError(getattr(e, "detail", str(e)))


#: The native "client closed" error (the iterators end on it).
NativeClosed: Any = getattr(_native.GcError, "Closed")


def raise_typed(e: Exception) -> NoReturn:
    """Raises the typed exception for a native error, with its cause (if it
    has one) and without the native exception as context."""
    err = map_error(e)
    raise err from err.__cause__


async def call(awaitable: Awaitable[T]) -> T:
    """Awaits a native call, raising typed exceptions."""
    try:
        return await awaitable
    except _native.GcError as e:
        raise_typed(e)


def sync_call(fn: Callable[..., T], *args: Any) -> T:
    """Calls a native function, raising typed exceptions."""
    try:
        return fn(*args)
    except _native.GcError as e:
        raise_typed(e)


def typed(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorator for synchronous native calls."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except _native.GcError as e:
            raise_typed(e)

    return wrapper


__all__ = [
    "GcClientError", "InvalidArgumentError", "ConfigError", "TransportError",
    "GcOutOfServiceError", "NotInServiceError", "RequestTimeoutError",
    "GcRefusedError", "ConnectionLostError", "ClosedError",
    "BrokerUnreachableError", "SessionLostError", "UnexpectedReplyError",
    "BrokerAuthError", "InternalError",
]

