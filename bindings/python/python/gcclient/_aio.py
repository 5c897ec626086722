"""Awaiting the library's futures from asyncio with one thread hop.

uniffi's generated ``_uniffi_rust_call_async`` passes a ctypes callback with
each poll of a Rust future; waking the future calls it, which takes the GIL
and calls ``loop.call_soon_threadsafe``. The library cannot let its own
threads wait for the GIL, so those wake-ups went through a relay thread:
reply -> relay thread -> event loop. :func:`install` replaces that function
with one that passes the library's ``gcclient_wake_continuation`` instead: a
Rust function that queues the poll's token in a per-loop ``WakeQueue`` and
makes the queue's descriptor readable. The loop watches it (``add_reader``)
and resolves every ready await in one pass, so replies that arrive together
cost one wake-up. Polls go through ``gcclient_wake_poll``, which returns a
future's ready answer given during the poll itself (the usual end of a
command: woken, polled again, ready) instead of queueing it, so the loop
does not go round once more to learn it. The loop drains the queue with
``gcclient_wake_drain`` into a buffer of its own: one plain call, not a
uniffi method (a handle clone, a list to lift, a buffer to free), which
is the first thing the loop runs after each wake-up, with cold caches.
Polling, completion, errors and cancellation (the Rust
future is freed, which aborts the command's task) are uniffi's own.

Without ``WakeQueue`` (a platform without Unix sockets), on a loop that
cannot watch descriptors, or for an await outside its loop's thread
(``uniffi_set_event_loop``), uniffi's original path is used; the library
then wakes every await through its relay thread again.
"""

from __future__ import annotations

import asyncio
import ctypes
import weakref
from typing import Any, Callable, Dict, Optional

_READY = 0

#: Wake-ups taken per ``gcclient_wake_drain`` call (each loop's buffer);
#: the loop calls again while a call fills the buffer.
_DRAIN_CAP = 64

#: ``gcclient_wake_drain`` (set by :func:`install`; None: drain through
#: the queue's uniffi method).
_drain: Optional[Callable[[int, Any, int], int]] = None

#: Each event loop's waiter (None: the loop cannot watch descriptors).
_waiters: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Optional[_Waiter]]" = (
    weakref.WeakKeyDictionary())


class _Waiter:
    """One event loop's wake queue and the awaits it will resolve."""

    def __init__(self, native: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.queue = native.WakeQueue()
        self.base: int = self.queue.token_base()
        self.pending: Dict[int, "asyncio.Future[int]"] = {}
        self.seq = 0
        self.buffer = (ctypes.c_uint64 * _DRAIN_CAP)()
        loop.add_reader(self.queue.fd(), self._ready)
        # The loop's end (closed and collected) frees the queue's slot.
        weakref.finalize(loop, self.queue.retire)

    def _ready(self) -> None:
        drain = _drain
        if drain is None:
            self._resolve(self.queue.drain())
            return
        buffer = self.buffer
        cap = len(buffer)
        while True:
            n = drain(self.base, buffer, cap)
            self._resolve(buffer[:n])
            if n < cap:
                return

    def _resolve(self, wakes: Any) -> None:
        pending = self.pending
        for value in wakes:
            fut = pending.pop(value >> 1, None)
            if fut is not None and not fut.done():
                fut.set_result(value & 1)


def current_waiter() -> Optional[_Waiter]:
    """The running loop's waiter, if it has one yet."""
    return _waiters.get(asyncio.get_running_loop())


def install(module: Any, native: Any) -> None:
    """Replaces ``module``'s (a uniffi-generated module's) async call."""
    wake_queue = getattr(native, "WakeQueue", None)
    if wake_queue is None:
        return
    lib = module._UniffiLib
    try:
        # It polls with gcclient_wake_continuation as the callback.
        wake_poll = lib.gcclient_wake_poll
    except AttributeError:
        return
    wake_poll.argtypes = (ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)
    wake_poll.restype = ctypes.c_int8
    global _drain
    try:
        drain = lib.gcclient_wake_drain
    except AttributeError:
        pass
    else:
        drain.argtypes = (ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint64), ctypes.c_size_t)
        drain.restype = ctypes.c_size_t
        _drain = drain
    # By id: ctypes functions are not hashable. The function is kept with
    # its address, so its id cannot be reused.
    poll_addresses: Dict[int, Any] = {}

    def address_of(ffi_poll: Any) -> int:
        try:
            return poll_addresses[id(ffi_poll)][1]  # type: ignore[no-any-return]
        except KeyError:
            a = ctypes.cast(ffi_poll, ctypes.c_void_p).value
            if not a:
                raise RuntimeError("uniffi poll function without an address")
            poll_addresses[id(ffi_poll)] = (ffi_poll, a)
            return a
    original: Callable[..., Any] = module._uniffi_rust_call_async
    relay: Callable[[], None] = native.wake_through_relay
    get_loop = module._uniffi_get_event_loop
    call = module._uniffi_rust_call_with_error

    def waiter_of(loop: asyncio.AbstractEventLoop) -> Optional[_Waiter]:
        try:
            return _waiters[loop]
        except KeyError:
            pass
        try:
            w: Optional[_Waiter] = _Waiter(native, loop)
        except (NotImplementedError, OSError, RuntimeError):
            w = None  # e.g. a loop that cannot watch descriptors
        _waiters[loop] = w
        return w

    async def rust_call_async(rust_future: Any, ffi_poll: Any, ffi_complete: Any, ffi_free: Any,
                              lift_func: Any, error_ffi_converter: Any) -> Any:
        loop: asyncio.AbstractEventLoop = get_loop()
        # uniffi_set_event_loop() lets a call await from another thread
        # than the loop's: uniffi's own path handles that.
        w = waiter_of(loop) if loop is asyncio._get_running_loop() else None
        if w is None:
            # uniffi's callback takes the GIL: the library must wake it
            # from its relay thread, never from its own workers.
            relay()
            return await original(rust_future, ffi_poll, ffi_complete, ffi_free, lift_func,
                                  error_ffi_converter)
        try:
            pending = w.pending
            poll = address_of(ffi_poll)
            while True:
                w.seq = seq = (w.seq + 1) & 0xFF_FFFF_FFFF
                if wake_poll(poll, rust_future, w.base | seq) == _READY:
                    break
                # Registered after the poll: the queue is drained on this
                # thread only, so no wake-up can be looked for before this.
                fut: "asyncio.Future[int]" = loop.create_future()
                pending[seq] = fut
                try:
                    code = await fut
                finally:
                    pending.pop(seq, None)
                if code == _READY:
                    break
            return lift_func(call(error_ffi_converter, ffi_complete, rust_future))
        finally:
            ffi_free(rust_future)

    module._uniffi_rust_call_async = rust_call_async
