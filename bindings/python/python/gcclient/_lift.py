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

import importlib
from typing import Any

from . import _events, _records, _replies

#: The generated module (``gcclient._native`` re-exports it).
generated: Any = importlib.import_module("gcclient._native.gcclient")

#: The generated classes, before rebinding (for the consistency test).
NATIVE_CLASSES = {name: getattr(generated, name)
                  for name in [*_records.BUILDERS, "Event", "EventData", "Notification"]}


def install() -> None:
    """Rebinds the generated module's record, event and notification names."""
    for name, builder in _records.BUILDERS.items():
        setattr(generated, name, builder)
    generated.EventData = _events.NativeEventData
    generated.Event = _replies.make_event
    generated.Notification = _events.Notification


install()
