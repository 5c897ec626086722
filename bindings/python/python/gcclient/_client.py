"""The asyncio API: ``async with gcclient.connect(config) as client``."""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from typing import (TYPE_CHECKING, Any, Awaitable, Callable, Dict, Generator, Iterator, List,
                    Optional, Tuple, Type, TypeVar, Union, cast, overload)

from . import _native
from ._commands import AgentCommands, CallVariablesArg, _timeout_ms
from ._config import ConfigLike, to_native, variable_names
from ._errors import (NativeClosed, RequestTimeoutError, UnexpectedReplyError, call, map_error,
                      sync_call,
                      raise_typed)
from ._events import Event, EventData, Notification
from ._logging import _exit_hooks, refresh_log_level
from ._native import AgentState, ConnectionStatus
from ._records import AgentSnapshot, CallState, NewCallInfo
from ._values import _variable_names
from ._replies import AgentInfoEvent, AgentStateEvent, DialogStatusEvent

#: What ``login`` returns: the first of GC's replies to a Login.
LoginReply = Union[AgentStateEvent, AgentInfoEvent, DialogStatusEvent]
LOGIN_REPLIES = (AgentStateEvent, AgentInfoEvent, DialogStatusEvent)

if TYPE_CHECKING:
    from typing_extensions import TypeGuard

_log = logging.getLogger("gcclient")

#: Notifications fetched per native call by the iterators.
BATCH = 512

E = TypeVar("E", bound=Event)
T = TypeVar("T")

#: Kept for callers of the previous name.
CallVariables = CallVariablesArg


def _ms(seconds: float) -> int:
    if seconds < 0:
        raise ValueError(f"timeout: must be >= 0 seconds (got {seconds})")
    return int(seconds * 1000)


def _checked_reply(command: str, agent: str, reply: Any,
                   expected: Union[None, type, Tuple[type, ...]]) -> Any:
    """``reply`` if it is of the ``expected`` class (None: any), else
    :class:`UnexpectedReplyError`."""
    if expected is not None and not isinstance(reply, expected):
        kind = getattr(reply, "kind", type(reply).__name__)
        wanted = " or ".join(c.__name__ for c in
                             (expected if isinstance(expected, tuple) else (expected,)))
        raise UnexpectedReplyError(
            f"{command} for agent {agent}: GC answered with {kind}, not {wanted}",
            command, agent, str(kind))
    return reply


class _Names:
    """Runs native calls with a client's call-variable names in effect, so
    the records they return name their variables."""

    def __init__(self, names: Tuple[str, ...]) -> None:
        self.names = names

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        token = _variable_names.set(self.names)
        try:
            return fn(*args)
        finally:
            _variable_names.reset(token)

    async def wait(self, awaitable: Awaitable[T]) -> T:
        token = _variable_names.set(self.names)
        try:
            return await awaitable
        finally:
            _variable_names.reset(token)


_NO_NAMES = _Names(())


class Notifications:
    """Async iterator over every notification (events, status changes,
    re-logins, ``LAGGED``). Subscribed when created, so nothing sent after
    that is missed. Ends when the client closes or on :meth:`aclose`; use
    ``async with`` to close it when done::

        async with client.notifications() as stream:
            async for n in stream:
                ...
    """

    def __init__(self, stream: Optional[_native.EventStream], names: _Names = _NO_NAMES) -> None:
        self._stream = stream
        self._names = names
        # The batch being taken (lifted one notification at a time).
        self._batch: Iterator[Notification] = iter(())

    def __aiter__(self) -> "Notifications":
        return self

    async def __anext__(self) -> Notification:
        n = next(self._batch, None)
        if n is not None:
            return n
        while True:
            stream = self._stream
            if stream is None:
                raise StopAsyncIteration
            try:
                self._batch = await self._names.wait(
                    cast("Awaitable[Iterator[Notification]]", stream.next_batch(BATCH)))
            except NativeClosed:
                self._stream = None
                raise StopAsyncIteration from None
            except _native.GcError as e:
                raise_typed(e)
            if self._stream is None:  # closed while waiting
                raise StopAsyncIteration
            n = next(self._batch, None)
            if n is not None:
                return n

    async def aclose(self) -> None:
        """Unsubscribes; the iteration ends. Idempotent."""
        self._stream = None
        self._batch = iter(())

    async def __aenter__(self) -> "Notifications":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


class Events:
    """Async iterator over GC events only (see :class:`Notifications`). Lost
    notifications (a consumer that fell more than ``event_buffer`` behind) are
    logged as warnings. ``async with`` closes it."""

    def __init__(self, stream: Optional[_native.EventStream], names: _Names = _NO_NAMES) -> None:
        self._inner = Notifications(stream, names)

    def __aiter__(self) -> "Events":
        return self

    async def __anext__(self) -> Event:
        while True:
            n = await self._inner.__anext__()
            if isinstance(n, Notification.GC_EVENT):
                return n.event
            if isinstance(n, Notification.LAGGED):
                _log.warning("event consumer fell behind: %d notifications lost", n.dropped)

    async def aclose(self) -> None:
        """Unsubscribes; the iteration ends. Idempotent."""
        await self._inner.aclose()

    async def __aenter__(self) -> "Events":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


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
                 callback: Callable[[Notification], Any], names: _Names) -> None:
        self._stream = stream
        self._callback = callback
        self._names = names
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
                batch = cast(Iterator[Notification], self._names.run(
                    self._stream.next_batch_blocking, BATCH, _LISTENER_POLL_MS))
            except NativeClosed:
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
    """A callback running on a thread of its own; ``cancel()`` stops it, and
    so does leaving ``with`` / ``async with``. Keep a reference: a
    subscription that is garbage-collected stops."""

    def __init__(self, stream: _native.EventStream,
                 callback: Callable[[Notification], Any], names: _Names = _NO_NAMES) -> None:
        self._delivery = _Delivery(stream, callback, names)
        _live_subscriptions.add(self)
        self._delivery.start()

    def cancel(self) -> None:
        """Stops delivery; waits for a callback in progress, unless called
        from the callback itself."""
        self._delivery.stop(wait=True)

    @property
    def active(self) -> bool:
        """Whether callbacks are still being delivered."""
        return self._delivery.active

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()

    async def __aenter__(self) -> "Subscription":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        # cancel() may wait for a callback in progress: not on the loop.
        await asyncio.get_running_loop().run_in_executor(None, self.cancel)

    def __del__(self) -> None:
        delivery = getattr(self, "_delivery", None)
        if delivery is not None:
            delivery.stop(wait=False)


def _first_state(state: AgentState) -> Callable[[Event], bool]:
    def matches(event: Event) -> bool:
        return isinstance(event.data, EventData.AGENT_STATE) and event.data.info.state == state
    return matches


class Agent(AgentCommands):
    """One agent on a client. Each command method sends one command and
    returns GC's reply event, typed by the command (``make_ready()`` returns
    an :class:`AgentStateEvent`); GC's refusals raise :class:`GcRefusedError`.
    Every command takes ``timeout=`` (seconds) for that call. The command
    methods come from :mod:`gcclient._commands`, generated from the command
    table (one per command, named as in every language)."""

    def __init__(self, native: _native.Agent, client: "Client") -> None:
        self._a = native
        self._client = client
        self.id: str = native.id()

    def __repr__(self) -> str:
        return f"<gcclient.Agent {self.id}>"

    @overload
    async def _request(self, command: str, native: Awaitable[Any],
                       expected: Type[E]) -> E: ...

    @overload
    async def _request(self, command: str, native: Awaitable[Any],
                       expected: None) -> Event: ...

    @overload
    async def _request(self, command: str, native: Awaitable[Any],
                       expected: Tuple[type, ...]) -> Event: ...

    async def _request(self, command: str, native: Awaitable[Any],
                       expected: Union[None, Type[E], Tuple[type, ...]]) -> Any:
        """Awaits one native command (its per-call deadline already passed to
        the library, which raises the typed timeout): typed errors, the
        client's call-variable names on the records of the reply, and a reply
        of the ``expected`` class (else :class:`UnexpectedReplyError`)."""
        try:
            reply = await self._client._names.wait(native)
        except _native.GcError as e:
            raise_typed(e)
        return _checked_reply(command, self.id, reply, expected)

    async def _await(self, command: str, native: Awaitable[Any],
                     timeout: Optional[float]) -> Any:
        names = self._client._names
        if timeout is None:
            try:
                return await names.wait(native)
            except _native.GcError as e:
                raise_typed(e)
        after_ms = _ms(timeout)
        try:
            return await asyncio.wait_for(names.wait(native), timeout)
        except _native.GcError as e:
            raise_typed(e)
        except asyncio.TimeoutError as e:
            # The wait in Rust is cancelled with the task; the command was
            # sent, so like the library's own timeout its fate is unknown.
            raise RequestTimeoutError(
                f"{command} for agent {self.id}: no reply within {after_ms} ms "
                "(timeout=); GC may still carry it out",
                command, self.id, after_ms) from e

    def snapshot(self) -> AgentSnapshot:
        """What the client knows about this agent (state, dialogs, reasons),
        kept from events."""
        return cast(AgentSnapshot, self._client._names.run(self._a.snapshot))

    @property
    def state(self) -> Optional[AgentState]:
        """The agent's last known state (None before any state event)."""
        return self.snapshot().state

    def events(self) -> Events:
        """GC events for this agent only (subscribed when called)."""
        return self._client.events(agent=self.id)

    def notifications(self) -> Notifications:
        """Notifications for this agent only (subscribed when called)."""
        return self._client.notifications(agent=self.id)

    async def connect(self, password: str, sso: bool = False, *,
                      timeout: Optional[float] = None) -> None:
        """``Connect`` only (subscribes the agent to Finesse notifications);
        :meth:`login` sends it itself. GC answers only on failure."""
        await self._await("connect", self._a.connect(password, sso), timeout)

    async def login(self, password: str, extension: str, *, sso: bool = False,
                    timeout: Optional[float] = None) -> LoginReply:
        """``Connect`` + ``Login``; returns GC's first reply: the agent's
        ``State`` (an :class:`AgentStateEvent`), ``AgentInfo`` or
        ``DialogStatus``, whichever GC correlates first (``agent.state`` and
        ``agent.snapshot()`` have all of them once the login returned). The credentials stay
        in memory (never in logs) for automatic re-login until :meth:`logout`.
        Raises :class:`GcRefusedError` (e.g. ``SUBSCRIPTION_FAILED`` for a
        wrong password)."""
        deadline = _timeout_ms(timeout)
        native = (self._a.login_sso(password, extension, deadline) if sso
                  else self._a.login(password, extension, deadline))
        return cast(LoginReply, await self._request("login", native, LOGIN_REPLIES))

    async def logout(self, reason_code: Optional[str] = None, *,
                     timeout: Optional[float] = None) -> AgentStateEvent:
        """Logs the agent out and stops automatic re-login. ``logout(reason_code)``
        is the old spelling of :meth:`logout_with_reason`, kept for existing
        callers. Returns the ``State`` reply."""
        if reason_code is not None:
            return await self.logout_with_reason(reason_code, timeout=timeout)
        return await AgentCommands.logout(self, timeout=timeout)

    async def wait_for_state(self, state: AgentState, *, timeout: float = 10.0) -> AgentSnapshot:
        """Waits until the agent is in ``state`` (at once if it already is);
        returns the agent's snapshot then. Raises :class:`TimeoutError` after
        ``timeout`` seconds, naming the state it is in."""
        async with self.events() as events:
            snap = self.snapshot()
            if snap.state == state:
                return snap
            try:
                await _first(events, _first_state(state), timeout)
            except asyncio.TimeoutError:
                now = self.snapshot().state
                raise TimeoutError(
                    f"agent {self.id} not {state.name} after {timeout} s "
                    f"(state {now.name if now else 'unknown'})") from None
        return self.snapshot()

    async def wait_for_call(self, *, timeout: float = 10.0) -> NewCallInfo:
        """Waits for a call ringing for this agent (``NewInboundCall`` or
        ``NewOutboundPreviewCall``; at once for one already ringing) and
        returns it: ``await agent.answer(call.dialog_id)``. Raises
        :class:`TimeoutError` after ``timeout`` seconds."""
        async with self.events() as events:
            for d in self.snapshot().dialogs:
                if d.state == CallState.ALERTING:
                    return NewCallInfo(d.from_address, d.variables, d.dialog_id, d.call_type,
                                       None)
            try:
                event = await _first(events, _is_new_call, timeout)
            except asyncio.TimeoutError:
                raise TimeoutError(f"no call for agent {self.id} within {timeout} s") from None
        data = event.data
        assert isinstance(data, (EventData.NEW_INBOUND_CALL, EventData.NEW_OUTBOUND_PREVIEW_CALL))
        return data.call


def _is_new_call(event: Event) -> bool:
    return isinstance(event.data, (EventData.NEW_INBOUND_CALL,
                                   EventData.NEW_OUTBOUND_PREVIEW_CALL))


async def _first(events: Events, predicate: Callable[[Event], bool], timeout: float) -> Event:
    async def scan() -> Event:
        async for event in events:
            if predicate(event):
                return event
        raise asyncio.TimeoutError  # the client closed: it will never come
    return await asyncio.wait_for(scan(), timeout)


class Client:
    """A connection to GC through the broker; one topic, many agents.
    Use ``async with`` (or ``await client.close()``)."""

    def __init__(self, native: _native.Client, names: Tuple[str, ...] = ()) -> None:
        self._c = native
        self._names = _Names(names)
        self._agents: Dict[str, Agent] = {}
        self._subscriptions: List[Subscription] = []
        self._closed = False

    def __repr__(self) -> str:
        return f"<gcclient.Client {self.destination} {self.status.name}>"

    @property
    def destination(self) -> str:
        """This client's topic name."""
        return self._c.destination()

    @property
    def status(self) -> ConnectionStatus:
        """Where the client stands with the broker and GC."""
        return self._c.status()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed or self._c.status() == ConnectionStatus.CLOSED

    @property
    def dropped_events(self) -> int:
        """Notifications lost because a consumer fell behind."""
        return self._c.dropped_events()

    @property
    def clock_skew_ms(self) -> Optional[int]:
        """The local clock minus the broker's, once measured."""
        return self._c.clock_skew_ms()

    def agent(self, agent_id: str) -> Agent:
        """The handle of one agent (registered on first use: its events are
        cached and it is logged in again after a reconnect)."""
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = Agent(self._c.agent(agent_id), self)
        return a

    def agent_ids(self) -> List[str]:
        """The agents registered on this client, sorted."""
        return self._c.agent_ids()

    async def wait_in_service(self, timeout: float = 10.0) -> None:
        """Waits for ``System#IN_SERVICE``; :class:`NotInServiceError` after ``timeout`` s."""
        await call(self._c.wait_in_service(_ms(timeout)))

    async def wait_for_status(self, status: ConnectionStatus, timeout: float = 10.0) -> None:
        """Waits until the connection status is ``status``;
        :class:`NotInServiceError` after ``timeout`` s."""
        await call(self._c.wait_for(status, _ms(timeout)))

    @overload
    async def wait_for(self, what: ConnectionStatus, timeout: float = 10.0, *,
                       agent: Optional[str] = None) -> None: ...

    @overload
    async def wait_for(self, what: "Callable[[Event], TypeGuard[E]]", timeout: float = 10.0, *,
                       agent: Optional[str] = None) -> E: ...

    @overload
    async def wait_for(self, what: Callable[[Event], bool], timeout: float = 10.0, *,
                       agent: Optional[str] = None) -> Event: ...

    async def wait_for(self, what: Union[ConnectionStatus, Callable[[Event], Any]],
                       timeout: float = 10.0, *, agent: Optional[str] = None) -> Any:
        """Waits for the first event (of ``agent``, or of any) for which
        ``what(event)`` is true, and returns it; only events arriving after
        the call count. Given a :class:`ConnectionStatus`, waits for that
        status instead. Raises :class:`TimeoutError` after ``timeout`` s::

            ev = await client.wait_for(lambda e: e.kind == "new_inbound_call")
        """
        if isinstance(what, ConnectionStatus):
            return await self.wait_for_status(what, timeout)
        async with self.events(agent) as events:
            try:
                return await _first(events, what, timeout)
            except asyncio.TimeoutError:
                raise TimeoutError(f"no matching event within {timeout} s") from None

    def events(self, agent: Optional[str] = None) -> Events:
        """GC events (for one agent when given), as an async iterator.
        Subscribed when called; on a closed client it ends at once."""
        return Events(self._stream(agent), self._names)

    def notifications(self, agent: Optional[str] = None) -> Notifications:
        """Events plus status changes, re-logins, clock skew and ``LAGGED``."""
        return Notifications(self._stream(agent), self._names)

    def _stream(self, agent: Optional[str]) -> Optional[_native.EventStream]:
        if self.closed:
            return None
        return self.agent(agent)._a.events() if agent else self._c.events()

    def on_notification(self, callback: Callable[[Notification], Any],
                        agent: Optional[str] = None) -> Subscription:
        """Calls ``callback`` for every notification, in order, on a daemon
        thread of its own (``gcclient-listener``, not the event loop's) until
        cancelled or the client closes. Subscribed before it returns."""
        stream = self._stream(agent)
        if stream is None:
            raise map_error(NativeClosed("the client is closed"))
        sub = Subscription(stream, callback, self._names)
        self._subscriptions.append(sub)
        return sub

    async def close(self) -> None:
        """Fails pending requests and disconnects. Idempotent."""
        self._closed = True
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
    native = to_native(config)
    client = Client(await call(_native.connect(native)), variable_names(config))
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


def start(config: ConfigLike) -> Client:
    """Starts a client and returns at once: it keeps trying the broker list
    (status ``CONNECTING``, later ``RECONNECTING``) until a broker answers,
    as a service started before its broker needs. Only a bad config raises
    (:class:`ConfigError`); a refused broker login arrives as a
    ``Notification.BROKER_AUTH``."""
    refresh_log_level()
    return Client(sync_call(_native.start, to_native(config)))


__all__ = ["Agent", "Client", "Events", "Notifications", "Subscription", "connect", "start"]

