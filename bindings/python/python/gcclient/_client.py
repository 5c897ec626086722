"""The asyncio API: ``async with gcclient.connect(config) as client``."""

from __future__ import annotations

import logging
import threading
import weakref
from typing import (Any, Callable, Dict, Generator, List, Mapping, Optional,
                    Sequence, Tuple, Union)

from . import _native
from ._commands import AgentCommands, CallVariables
from ._config import Config, to_native
from ._errors import call, map_error
from ._logging import _exit_hooks, refresh_log_level
from ._native import (AgentSnapshot, ConnectionStatus, Event, Notification)
from ._replies import AgentStateEvent

_log = logging.getLogger("gcclient")

#: Notifications fetched per native call by the iterators.
BATCH = 512

ConfigLike = Union[Config, str, Sequence[str], _native.ClientConfig]


def _ms(seconds: float) -> int:
    if seconds < 0:
        raise ValueError("timeout must not be negative")
    return int(seconds * 1000)


class Notifications:
    """Async iterator over every notification (events, status changes,
    re-logins, ``LAGGED``). Subscribed when created, so nothing sent after
    that is missed. Ends when the client closes."""

    def __init__(self, stream: _native.EventStream) -> None:
        self._stream = stream
        self._buffer: List[Notification] = []
        self._pos = 0

    def __aiter__(self) -> "Notifications":
        return self

    async def __anext__(self) -> Notification:
        if self._pos >= len(self._buffer):
            try:
                self._buffer = await self._stream.next_batch(BATCH)
            except _native.GcError.Closed:
                raise StopAsyncIteration from None
            except _native.GcError as e:
                raise map_error(e) from None
            self._pos = 0
        n = self._buffer[self._pos]
        self._pos += 1
        return n


class Events:
    """Async iterator over GC events only. Lost notifications (a consumer
    that fell more than ``event_buffer`` behind) are logged as warnings."""

    def __init__(self, stream: _native.EventStream) -> None:
        self._inner = Notifications(stream)

    def __aiter__(self) -> "Events":
        return self

    async def __anext__(self) -> Event:
        while True:
            n = await self._inner.__anext__()
            if isinstance(n, Notification.GC_EVENT):
                return n.event
            if isinstance(n, Notification.LAGGED):
                _log.warning("event consumer fell behind: %d notifications lost", n.dropped)


_live_subscriptions: "weakref.WeakSet[Subscription]" = weakref.WeakSet()

#: How long one native wait of a listener thread lasts, in ms: a cancelled
#: subscription's thread notices within this time (delivery stops at once).
_LISTENER_POLL_MS = 100


def _cancel_all_subscriptions() -> None:
    subs = list(_live_subscriptions)
    for sub in subs:
        sub.cancel()
    # Let the threads leave the library before the interpreter goes away.
    for sub in subs:
        sub._delivery.join(2 * _LISTENER_POLL_MS / 1000)


_exit_hooks.append(_cancel_all_subscriptions)


class _Delivery:
    """The listener thread's state. Kept apart from :class:`Subscription` so
    that the running thread does not keep the subscription alive."""

    def __init__(self, stream: _native.EventStream,
                 callback: Callable[[Notification], Any]) -> None:
        self._stream = stream
        self._callback = callback
        self._stopped = threading.Event()
        # Held around each callback, so that cancel() can wait for the one
        # in progress and none starts after it.
        self._calling = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="gcclient-listener",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        # Batches, like the iterators: one crossing per burst instead of one
        # foreign callback per notification.
        while not self._stopped.is_set():
            try:
                batch = self._stream.next_batch_blocking(BATCH, _LISTENER_POLL_MS)
            except _native.GcError.Closed:
                return
            except _native.GcError as e:
                _log.error("gcclient listener %r stopped: %s", self._callback, map_error(e))
                return
            for n in batch:
                with self._calling:
                    if self._stopped.is_set():
                        return
                    try:
                        self._callback(n)
                    except Exception:
                        _log.exception("gcclient listener %r raised", self._callback)

    def stop(self, wait: bool) -> None:
        self._stopped.set()
        if wait and threading.current_thread() is not self._thread:
            with self._calling:
                pass

    def join(self, timeout: float) -> None:
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def active(self) -> bool:
        return self._thread.is_alive() and not self._stopped.is_set()


class Subscription:
    """A callback running on a thread of its own; ``cancel()`` stops it.
    Keep a reference: a subscription that is garbage-collected stops."""

    def __init__(self, stream: _native.EventStream,
                 callback: Callable[[Notification], Any]) -> None:
        self._delivery = _Delivery(stream, callback)
        _live_subscriptions.add(self)
        self._delivery.start()

    def cancel(self) -> None:
        """Stops delivery; waits for a callback in progress, unless called
        from the callback itself."""
        self._delivery.stop(wait=True)

    @property
    def active(self) -> bool:
        return self._delivery.active

    def __del__(self) -> None:
        delivery = getattr(self, "_delivery", None)
        if delivery is not None:
            delivery.stop(wait=False)


class Agent(AgentCommands):
    """One agent on a client. Each method sends one command and returns GC's
    reply event; GC's refusals raise :class:`GcRefusedError`. The command
    methods come from :mod:`gcclient._commands`, generated from the command
    table."""

    def __init__(self, native: _native.Agent) -> None:
        self._a = native
        self.id: str = native.id()

    def __repr__(self) -> str:
        return f"<gcclient.Agent {self.id}>"

    def snapshot(self) -> AgentSnapshot:
        """What the client knows about this agent (state, dialogs, reasons)."""
        return self._a.snapshot()

    @property
    def state(self) -> Optional[_native.AgentState]:
        return self._a.snapshot().state

    def events(self) -> Events:
        """GC events for this agent only."""
        return Events(self._a.events())

    def notifications(self) -> Notifications:
        return Notifications(self._a.events())

    async def connect(self, password: str, sso: bool = False) -> None:
        """``Connect`` only; :meth:`login` sends it itself."""
        await call(self._a.connect(password, sso))

    async def login(self, password: str, extension: str, *, sso: bool = False) -> Event:
        """``Connect`` + ``Login``; the credentials stay in memory (never in
        logs) for automatic re-login until :meth:`logout`."""
        if sso:
            return await call(self._a.login_sso(password, extension))
        return await call(self._a.login(password, extension))

    async def logout(self, reason_code: Optional[str] = None) -> AgentStateEvent:
        """Logs the agent out and stops automatic re-login. ``logout(reason_code)``
        is the old spelling of :meth:`logout_with_reason`, kept for existing
        callers."""
        if reason_code is not None:
            return await self.logout_with_reason(reason_code)
        return await AgentCommands.logout(self)


class Client:
    """A connection to GC through the broker; one topic, many agents.
    Use ``async with`` (or ``await client.close()``)."""

    def __init__(self, native: _native.Client) -> None:
        self._c = native
        self._agents: Dict[str, Agent] = {}
        self._subscriptions: List[Subscription] = []

    def __repr__(self) -> str:
        return f"<gcclient.Client {self.destination} {self.status.name}>"

    @property
    def destination(self) -> str:
        """This client's topic name."""
        return self._c.destination()

    @property
    def status(self) -> ConnectionStatus:
        return self._c.status()

    @property
    def dropped_events(self) -> int:
        """Notifications lost because a consumer fell behind."""
        return self._c.dropped_events()

    @property
    def clock_skew_ms(self) -> Optional[int]:
        return self._c.clock_skew_ms()

    def agent(self, agent_id: str) -> Agent:
        """The handle of one agent (registered on first use)."""
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = Agent(self._c.agent(agent_id))
        return a

    def agent_ids(self) -> List[str]:
        return self._c.agent_ids()

    async def wait_in_service(self, timeout: float = 10.0) -> None:
        """Waits for ``System#IN_SERVICE``; :class:`NotInServiceError` after ``timeout`` s."""
        await call(self._c.wait_in_service(_ms(timeout)))

    async def wait_for(self, status: ConnectionStatus, timeout: float = 10.0) -> None:
        await call(self._c.wait_for(status, _ms(timeout)))

    def events(self, agent: Optional[str] = None) -> Events:
        """GC events (for one agent when given), as an async iterator."""
        return Events(self._stream(agent))

    def notifications(self, agent: Optional[str] = None) -> Notifications:
        """Events plus status changes, re-logins, clock skew and ``LAGGED``."""
        return Notifications(self._stream(agent))

    def _stream(self, agent: Optional[str]) -> _native.EventStream:
        return self.agent(agent)._a.events() if agent else self._c.events()

    def on_notification(self, callback: Callable[[Notification], Any],
                        agent: Optional[str] = None) -> Subscription:
        """Calls ``callback`` for every notification, in order, on a daemon
        thread of its own (``gcclient-listener``, not the event loop's) until
        cancelled or the client closes. Subscribed before it returns."""
        sub = Subscription(self._stream(agent), callback)
        self._subscriptions.append(sub)
        return sub

    async def close(self) -> None:
        """Fails pending requests and disconnects. Idempotent."""
        for sub in self._subscriptions:
            sub.cancel()
        self._subscriptions.clear()
        await self._c.close()

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


async def _connect(config: ConfigLike, in_service_timeout: Optional[float]) -> Client:
    refresh_log_level()
    client = Client(await call(_native.connect(to_native(config))))
    if in_service_timeout is not None:
        try:
            await client.wait_in_service(in_service_timeout)
        except BaseException:
            await client.close()
            raise
    return client


class _Connecting:
    """What :func:`connect` returns: await it, or use it with ``async with``."""

    def __init__(self, config: ConfigLike, in_service_timeout: Optional[float]) -> None:
        self._args = (config, in_service_timeout)
        self._client: Optional[Client] = None

    def __await__(self) -> Generator[Any, None, Client]:
        return _connect(*self._args).__await__()

    async def __aenter__(self) -> Client:
        self._client = await _connect(*self._args)
        return self._client

    async def __aexit__(self, *exc: Any) -> None:
        if self._client is not None:
            await self._client.close()


def connect(config: ConfigLike, *, in_service_timeout: Optional[float] = 10.0) -> _Connecting:
    """Connects to the broker and (unless ``in_service_timeout`` is None)
    waits until GC is in service.

    ``config`` is a :class:`Config`, a broker URL, or a list of URLs::

        async with gcclient.connect("tcp://mq:61613") as client:
            agent = client.agent("1001")
            await agent.login("secret", "5001")
    """
    return _Connecting(config, in_service_timeout)


__all__ = ["Agent", "Client", "Events", "Notifications", "Subscription", "connect"]

