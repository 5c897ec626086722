"""Makes the uniffi-generated readers build gcclient's own dataclasses.

The generated module reads every record and variant by calling a global
name (``CallInfo(state=..., ...)``, ``EventData.AGENT_STATE(...)``,
``Event(...)``), resolved when it runs. Rebinding those names to the
dataclasses (or to builders that convert lists, times and states) means an
event is built once, as what users get, with no second conversion; the
generated classes stay for the values gcclient hands *to* Rust (config,
call variables), which the generated writers read by attribute.

uniffi's output is pinned by Cargo.lock; ``tests/test_records.py`` checks
every generated record and variant against its counterpart here.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
from typing import Any, Iterator

from . import _aio, _events, _fastread, _readers, _records, _replies

#: The generated modules (``gcclient._native`` re-exports both): the
#: bindings' own (client, agent, config, errors) and core's types, which
#: cross as they are (events, records, statuses).
generated: Any = importlib.import_module("gcclient._native.gcclient")
core: Any = importlib.import_module("gcclient._native.gcclient_core")


def _home(name: str) -> Any:
    return core if name in vars(core) else generated


#: Every generated class, before rebinding (for ``codegen/events.py``, which
#: writes ``_records.py`` and ``_events.py`` from them, and the consistency
#: test). Core's ``Event`` crosses as the record ``EventRecord`` (with its kind).
NATIVE_CLASSES = {name: cls for module in (generated, core)
                  for name, cls in vars(module).items()
                  if isinstance(cls, type) and not name.startswith("_")}
NATIVE_CLASSES["Event"] = core.EventRecord


@contextlib.contextmanager
def native_classes() -> Iterator[None]:
    """uniffi's own classes under the names :func:`install` rebinds, for the
    duration (the tests and ``bench/lift.py``: uniffi's writers read them)."""
    missing = object()
    saved = {name: getattr(_home(name), name, missing) for name in NATIVE_CLASSES}
    for name, cls in NATIVE_CLASSES.items():
        setattr(_home(name), name, cls)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                delattr(_home(name), name)
            else:
                setattr(_home(name), name, value)


def encode_event(body: str) -> bytes:
    """An event as the bytes Rust hands to Python: parsed by the library,
    written back by uniffi's own writer (for the tests and ``bench/lift.py``)."""
    with native_classes():
        event = generated.parse_event(body)
        builder = core._UniffiRustBufferBuilder()
        core._UniffiFfiConverterTypeEvent.write(event, builder)
        rbuf = builder.finalize()
        try:
            return ctypes.string_at(rbuf.data, rbuf.len)
        finally:
            rbuf.free()


def install() -> None:
    """Rebinds the generated modules' record, event and notification names."""
    for name, builder in _records.BUILDERS.items():
        setattr(_home(name), name, builder)
    core.EventData = _events.NativeEventData
    core.EventRecord = _replies.make_event
    core.Notification = _events.Notification
    # Core's flat error code is ``ErrorCodeKind`` there (its ``ErrorCode``
    # is the custom type that crosses as ``ErrorCodeInfo``); users know it
    # as ``ErrorCode``, and repr and pickle say so.
    code = core.ErrorCodeKind
    code.__name__ = code.__qualname__ = "ErrorCode"
    core.ErrorCode = code
    # Before _fastread: batches take the Notification reader installed here.
    _fastread.install_readers(core, _readers)
    for module in (generated, core):
        _fastread.install(module)
        if hasattr(module, "_uniffi_rust_call_async"):
            _aio.install(module, generated)


install()
