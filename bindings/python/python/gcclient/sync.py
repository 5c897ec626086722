"""The synchronous API, for scripts without asyncio::

    from gcclient.sync import connect

    with connect("tcp://mq:61613") as client:
        agent = client.agent("1001")
        agent.login("secret", "5001")
        for event in client.events(timeout=30):
            print(event.kind)

Commands run on one private event loop in a daemon thread; event iteration
blocks in the library with the GIL released.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import (Any, Awaitable, Callable, Dict, Iterator, List, Optional, TypeVar)

from . import _client, _native
from ._client import ConfigLike, Subscription, _ms
from ._commands import SyncAgentCommands
from ._errors import map_error
from ._native import AgentSnapshot, ConnectionStatus, Event, Notification
from ._replies import AgentStateEvent

T = TypeVar("T")

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


class _BlockingNotifications:
    def __init__(self, stream: _native.EventStream, timeout: Optional[float],
                 events_only: bool) -> None:
        self._stream = stream
        self._timeout = timeout
        self._events_only = events_only
        self._buffer: List[Notification] = []
        self._pos = 0

    def __iter__(self) -> "_BlockingNotifications":
        return self

    def _fill(self) -> None:
        # Short native waits keep Ctrl-C responsive; `timeout` ends the
        # iteration when nothing arrives for that long.
        import time
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while True:
            step = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
            try:
                batch = self._stream.next_batch_blocking(_client.BATCH, _ms(step))
            except _native.GcError.Closed:
                raise StopIteration from None
            except _native.GcError as e:
                raise map_error(e) from None
            if batch:
                self._buffer, self._pos = batch, 0
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise StopIteration

    def __next__(self) -> Any:
        while True:
            if self._pos >= len(self._buffer):
                self._fill()
            n = self._buffer[self._pos]
            self._pos += 1
            if not self._events_only:
                return n
            if isinstance(n, Notification.GC_EVENT):
                return n.event
            if isinstance(n, Notification.LAGGED):
                _client._log.warning("event consumer fell behind: %d notifications lost",
                                     n.dropped)


class Agent(SyncAgentCommands):
    """Blocking twin of :class:`gcclient.Agent`; same methods, same errors."""

    _run = staticmethod(_run)

    def __init__(self, inner: _client.Agent) -> None:
        self._a = inner
        self.id = inner.id

    def __repr__(self) -> str:
        return f"<gcclient.sync.Agent {self.id}>"

    def snapshot(self) -> AgentSnapshot:
        return self._a.snapshot()

    @property
    def state(self) -> Optional[_native.AgentState]:
        return self._a.state

    def events(self, timeout: Optional[float] = None) -> Iterator[Event]:
        return _BlockingNotifications(self._a._a.events(), timeout, True)

    def connect(self, password: str, sso: bool = False) -> None:
        _run(self._a.connect(password, sso))

    def login(self, password: str, extension: str, *, sso: bool = False) -> Event:
        return _run(self._a.login(password, extension, sso=sso))

    def logout(self, reason_code: Optional[str] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.logout` (``logout(reason_code)`` is the
        old spelling of :meth:`logout_with_reason`)."""
        return _run(self._a.logout(reason_code))


class Client:
    """Blocking twin of :class:`gcclient.Client`. Use ``with``."""

    def __init__(self, inner: _client.Client) -> None:
        self._c = inner
        self._agents: Dict[str, Agent] = {}

    def __repr__(self) -> str:
        return f"<gcclient.sync.Client {self.destination} {self.status.name}>"

    @property
    def destination(self) -> str:
        return self._c.destination

    @property
    def status(self) -> ConnectionStatus:
        return self._c.status

    @property
    def dropped_events(self) -> int:
        return self._c.dropped_events

    def agent(self, agent_id: str) -> Agent:
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = Agent(self._c.agent(agent_id))
        return a

    def agent_ids(self) -> List[str]:
        return self._c.agent_ids()

    def wait_in_service(self, timeout: float = 10.0) -> None:
        _run(self._c.wait_in_service(timeout))

    def wait_for(self, status: ConnectionStatus, timeout: float = 10.0) -> None:
        _run(self._c.wait_for(status, timeout))

    def events(self, agent: Optional[str] = None,
               timeout: Optional[float] = None) -> Iterator[Event]:
        """GC events; blocks for the next one. With ``timeout`` the iteration
        ends after that many seconds without an event."""
        return _BlockingNotifications(self._c._stream(agent), timeout, True)

    def notifications(self, agent: Optional[str] = None,
                      timeout: Optional[float] = None) -> Iterator[Notification]:
        return _BlockingNotifications(self._c._stream(agent), timeout, False)

    def on_notification(self, callback: Callable[[Notification], Any],
                        agent: Optional[str] = None) -> Subscription:
        return self._c.on_notification(callback, agent)

    def close(self) -> None:
        _run(self._c.close())

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def connect(config: ConfigLike, *, in_service_timeout: Optional[float] = 10.0) -> Client:
    """Blocking :func:`gcclient.connect`; the client is a context manager."""
    return Client(_run(_client._connect(config, in_service_timeout)))


__all__ = ["Agent", "Client", "connect"]
