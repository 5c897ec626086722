"""The blocking API, for scripts without asyncio::

    from gcclient.sync import connect

    with connect("tcp://mq:61613") as client:
        agent = client.agent("1001")
        agent.login("secret", "5001")
        for event in client.events(timeout=30):
            print(event.kind)

Same methods, arguments, return types and exceptions as the asyncio API,
without ``await``. Commands wait inside the library on the calling thread
with the GIL released (no event loop in between); event iteration too. The
few helpers built on the asyncio API (``wait_for_state``, ``wait_for``,
``close``...) run on one private event loop in a daemon thread. Do not call
it from inside a running event loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from typing import (TYPE_CHECKING, Any, Awaitable, Callable, Dict, Generic, Iterator, List,
                    Optional, Tuple, TypeVar, Union, cast, overload)

from . import _client, _native
from ._client import LOGIN_REPLIES, LoginReply, Subscription, _checked_reply, _ms, _Names
from ._config import ConfigLike
from ._commands import SyncAgentCommands, _timeout_ms
from ._errors import NativeClosed, raise_typed
from ._events import Event, Notification
from ._native import AgentState, ConnectionStatus
from ._records import AgentSnapshot, NewCallInfo
from ._replies import AgentStateEvent

if TYPE_CHECKING:
    from typing_extensions import TypeGuard

T = TypeVar("T")
E = TypeVar("E", bound=Event)
N = TypeVar("N")

_portal_lock = threading.Lock()
_portal_loop: Optional[asyncio.AbstractEventLoop] = None


def _loop() -> asyncio.AbstractEventLoop:
    global _portal_loop
    with _portal_lock:
        if _portal_loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="gcclient-sync", daemon=True).start()
            _portal_loop = loop
        return _portal_loop


def _run(coro: Awaitable[T]) -> T:
    """Runs a coroutine on the portal loop and waits for it."""

    async def wrapped() -> T:
        return await coro

    fut: Future[T] = asyncio.run_coroutine_threadsafe(wrapped(), _loop())
    return fut.result()


class BlockingIterator(Generic[N]):
    """A blocking iterator over events or notifications. With ``timeout`` the
    iteration ends after that many seconds without one; it ends when the
    client closes, and on :meth:`close` (or leaving ``with``)."""

    def __init__(self, stream: Optional[_native.EventStream], timeout: Optional[float],
                 events_only: bool, names: _Names) -> None:
        self._stream = stream
        self._timeout = timeout
        self._events_only = events_only
        self._names = names
        # The batch being taken (lifted one notification at a time).
        self._batch: Iterator[Notification] = iter(())

    def __iter__(self) -> "BlockingIterator[N]":
        return self

    def _fill(self) -> Notification:
        # Short native waits keep Ctrl-C responsive; `timeout` ends the
        # iteration when nothing arrives for that long.
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while True:
            stream = self._stream
            if stream is None:
                raise StopIteration
            step = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
            try:
                batch = cast(Iterator[Notification],
                             self._names.run(stream.next_batch_blocking, _client.BATCH, _ms(step)))
            except NativeClosed:
                self._stream = None
                raise StopIteration from None
            except _native.GcError as e:
                raise_typed(e)
            n = next(batch, None)
            if n is not None:
                self._batch = batch
                return n
            if deadline is not None and time.monotonic() >= deadline:
                raise StopIteration

    def __next__(self) -> N:
        while True:
            n = next(self._batch, None)
            if n is None:
                n = self._fill()
            if not self._events_only:
                return n  # type: ignore[return-value]
            if isinstance(n, Notification.GC_EVENT):
                return n.event  # type: ignore[return-value]
            if isinstance(n, Notification.LAGGED):
                _client._log.warning("event consumer fell behind: %d notifications lost",
                                     n.dropped)

    def close(self) -> None:
        """Unsubscribes; the iteration ends. Idempotent."""
        self._stream = None
        self._batch = iter(())

    def __enter__(self) -> "BlockingIterator[N]":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Agent(SyncAgentCommands):
    """Blocking twin of :class:`gcclient.Agent`: same methods, same errors."""

    _a: _client.Agent

    def __init__(self, inner: _client.Agent, client: "Client") -> None:
        self._a = inner
        self._n = inner._a
        self._names = inner._client._names
        self._client = client
        self.id = inner.id

    def __repr__(self) -> str:
        return f"<gcclient.sync.Agent {self.id}>"

    def _blocking(self, command: str, native: Callable[..., Any],
                  expected: Union[None, type, Tuple[type, ...]], *args: Any) -> Any:
        """Calls a native ``*_blocking`` command (the thread waits in the
        library, GIL released, until the reply or the deadline): typed
        errors, call-variable names, the reply's class checked."""
        try:
            reply = self._names.run(native, *args)
        except _native.GcError as e:
            raise_typed(e)
        return _checked_reply(command, self.id, reply, expected)

    def snapshot(self) -> AgentSnapshot:
        """What the client knows about this agent, kept from events."""
        return self._a.snapshot()

    @property
    def state(self) -> Optional[AgentState]:
        """The agent's last known state."""
        return self._a.state

    def events(self, timeout: Optional[float] = None) -> BlockingIterator[Event]:
        """GC events for this agent only (see :meth:`Client.events`)."""
        return self._client.events(agent=self.id, timeout=timeout)

    def connect(self, password: str, sso: bool = False, *,
                timeout: Optional[float] = None) -> None:
        """Blocking :meth:`gcclient.Agent.connect`."""
        _run(self._a.connect(password, sso, timeout=timeout))

    def login(self, password: str, extension: str, *, sso: bool = False,
              timeout: Optional[float] = None) -> LoginReply:
        """Blocking :meth:`gcclient.Agent.login`: ``Connect`` + ``Login``."""
        native = self._n.login_sso_blocking if sso else self._n.login_blocking
        return cast(LoginReply, self._blocking("login", native, LOGIN_REPLIES, password,
                                               extension, _timeout_ms(timeout)))

    def logout(self, reason_code: Optional[str] = None, *,
               timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.logout`; ``logout(reason_code)`` is the
        old spelling of :meth:`logout_with_reason`."""
        if reason_code is not None:
            return self.logout_with_reason(reason_code, timeout=timeout)
        return SyncAgentCommands.logout(self, timeout=timeout)

    def wait_for_state(self, state: AgentState, *, timeout: float = 10.0) -> AgentSnapshot:
        """Blocking :meth:`gcclient.Agent.wait_for_state`."""
        return _run(self._a.wait_for_state(state, timeout=timeout))

    def wait_for_call(self, *, timeout: float = 10.0) -> NewCallInfo:
        """Blocking :meth:`gcclient.Agent.wait_for_call`."""
        return _run(self._a.wait_for_call(timeout=timeout))


class Client:
    """Blocking twin of :class:`gcclient.Client`. Use ``with``."""

    def __init__(self, inner: _client.Client) -> None:
        self._c = inner
        self._agents: Dict[str, Agent] = {}

    def __repr__(self) -> str:
        return f"<gcclient.sync.Client {self.destination} {self.status.name}>"

    @property
    def destination(self) -> str:
        """This client's topic name."""
        return self._c.destination

    @property
    def status(self) -> ConnectionStatus:
        """Where the client stands with the broker and GC."""
        return self._c.status

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._c.closed

    @property
    def dropped_events(self) -> int:
        """Notifications lost because a consumer fell behind."""
        return self._c.dropped_events

    def agent(self, agent_id: str) -> Agent:
        """The handle of one agent (registered on first use)."""
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = Agent(self._c.agent(agent_id), self)
        return a

    def agent_ids(self) -> List[str]:
        """The agents registered on this client, sorted."""
        return self._c.agent_ids()

    def wait_in_service(self, timeout: float = 10.0) -> None:
        """Blocking :meth:`gcclient.Client.wait_in_service`."""
        _run(self._c.wait_in_service(timeout))

    def wait_for_status(self, status: ConnectionStatus, timeout: float = 10.0) -> None:
        """Blocking :meth:`gcclient.Client.wait_for_status`."""
        _run(self._c.wait_for_status(status, timeout))

    @overload
    def wait_for(self, what: ConnectionStatus, timeout: float = 10.0, *,
                 agent: Optional[str] = None) -> None: ...

    @overload
    def wait_for(self, what: "Callable[[Event], TypeGuard[E]]", timeout: float = 10.0, *,
                 agent: Optional[str] = None) -> E: ...

    @overload
    def wait_for(self, what: Callable[[Event], bool], timeout: float = 10.0, *,
                 agent: Optional[str] = None) -> Event: ...

    def wait_for(self, what: Union[ConnectionStatus, Callable[[Event], Any]],
                 timeout: float = 10.0, *, agent: Optional[str] = None) -> Any:
        """Blocking :meth:`gcclient.Client.wait_for`: the first event for
        which ``what(event)`` is true (or a :class:`ConnectionStatus`)."""
        return _run(self._c.wait_for(what, timeout, agent=agent))

    def events(self, agent: Optional[str] = None,
               timeout: Optional[float] = None) -> BlockingIterator[Event]:
        """GC events; blocks for the next one. With ``timeout`` the iteration
        ends after that many seconds without an event. Ends at once on a
        closed client."""
        return BlockingIterator(self._c._stream(agent), timeout, True, self._c._names)

    def notifications(self, agent: Optional[str] = None,
                      timeout: Optional[float] = None) -> BlockingIterator[Notification]:
        """Events plus status changes, re-logins, clock skew and ``LAGGED``."""
        return BlockingIterator(self._c._stream(agent), timeout, False, self._c._names)

    def on_notification(self, callback: Callable[[Notification], Any],
                        agent: Optional[str] = None) -> Subscription:
        """See :meth:`gcclient.Client.on_notification`."""
        return self._c.on_notification(callback, agent)

    def close(self) -> None:
        """Fails pending requests and disconnects. Idempotent."""
        _run(self._c.close())

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def connect(config: ConfigLike, *, in_service_timeout: Optional[float] = 10.0) -> Client:
    """Blocking :func:`gcclient.connect`; the client is a context manager."""
    return Client(_run(_client._connect(config, in_service_timeout)))


__all__ = ["Agent", "Client", "BlockingIterator", "connect"]
