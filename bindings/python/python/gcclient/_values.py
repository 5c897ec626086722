"""The values the generated records are made of, beyond the native ones:
``CallState`` (a dialog's state), ``CallVariables`` (a call's variables, by
position and by name), ``parse_timestamp`` (GC's two time formats), and the
fast constructor the readers build every record and event with.

Hand-written: the rules that apply them to the records are in
``bindings/python/codegen/events.py``, which writes ``_records.py``.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as _dt
import enum
from typing import (Any, Callable, Dict, Iterable, Iterator, Optional, Sequence, Tuple, Type,
                    TypeVar, Union, overload)

_T = TypeVar("_T")

_UTC = _dt.timezone.utc

#: Names a deployment gives to call-variable positions (``Config.call_variable_names``),
#: set around each read of events from one client.
_variable_names: "contextvars.ContextVar[Tuple[str, ...]]" = contextvars.ContextVar(
    "gcclient_call_variable_names", default=())


def _public(cls: Any) -> Any:
    # Shown (and pickled) as `gcclient.X`: the name users import.
    cls.__module__ = "gcclient"
    return cls


def parse_timestamp(text: str) -> Optional[_dt.datetime]:
    """A GC timestamp as an aware UTC :class:`~datetime.datetime`.

    GC sends epoch milliseconds (``1764580000123``) in some fields and ISO
    8601 (``2026-12-01T09:00:00.123Z``) in others; None for an empty or
    unreadable value (the text is kept next to the parsed field).
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        try:
            return _dt.datetime.fromtimestamp(int(text) / 1000, _UTC)
        except (OverflowError, OSError, ValueError):
            return None
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = _dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_UTC)
    return parsed.astimezone(_UTC)


@_public
class CallState(str, enum.Enum):
    """A dialog's state as Finesse reports it (``InboundCall``, ``DialogState``,
    ``ConsultCall``, ``DialogStatus``). A value this version does not list
    becomes a member of its own (``CallState("NEW_STATE").value == "NEW_STATE"``),
    so nothing GC sends is lost. Compares equal to its wire spelling."""

    INITIATING = "INITIATING"
    INITIATED = "INITIATED"
    ALERTING = "ALERTING"
    ACTIVE = "ACTIVE"
    HELD = "HELD"
    FAILED = "FAILED"
    DROPPED = "DROPPED"
    DROP = "DROP"
    WRAP_UP = "WRAP_UP"
    ACCEPTED = "ACCEPTED"

    @classmethod
    def _missing_(cls, value: object) -> Optional["CallState"]:
        if not isinstance(value, str):
            return None
        member = _extra_states.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            _extra_states[value] = member
        return member

    def __str__(self) -> str:
        return str(self.value)


_extra_states: Dict[str, CallState] = {}


@_public
class CallVariables(Tuple[str, ...]):
    """A call's variables: the values in GC's order (a tuple: ``v[0]``) and
    by name (``v["callVariable1"]``, or a name the deployment configured in
    ``Config.call_variable_names``). GC sends values only; names are
    positional."""

    _configured: Tuple[str, ...]

    def __new__(cls, values: Iterable[str] = (), names: Optional[Sequence[str]] = None
                ) -> "CallVariables":
        self = super().__new__(cls, values)
        # Names are worked out when asked for: most events are never read by name.
        self._configured = tuple(names) if names is not None else _variable_names.get()
        return self

    @property
    def names(self) -> Tuple[str, ...]:
        """The name of each position: the configured one, else ``callVariableN``."""
        configured = self._configured
        return tuple(configured[i] if i < len(configured) and configured[i]
                     else f"callVariable{i + 1}" for i in range(len(self)))

    def __getnewargs__(self) -> Tuple[Any, ...]:
        return (tuple(self), self._configured)

    @overload  # type: ignore[override]
    def __getitem__(self, key: int) -> str: ...

    @overload
    def __getitem__(self, key: slice) -> Tuple[str, ...]: ...

    @overload
    def __getitem__(self, key: str) -> str: ...

    def __getitem__(self, key: Union[int, slice, str]) -> Union[str, Tuple[str, ...]]:
        if isinstance(key, str):
            index = self._index(key)
            if index is None:
                raise KeyError(key)
            return tuple.__getitem__(self, index)
        return tuple.__getitem__(self, key)

    def _index(self, name: str) -> Optional[int]:
        if name in self._configured:
            i = self._configured.index(name)
            return i if i < len(self) else None
        if name.startswith("callVariable") and name[12:].isdigit():
            i = int(name[12:]) - 1
            if 0 <= i < len(self):
                return i
        return None

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The value named ``name``, or ``default``."""
        index = self._index(name)
        return default if index is None else tuple.__getitem__(self, index)

    def by_name(self) -> Dict[str, str]:
        """``{"callVariable1": ..., ...}`` plus the configured names."""
        out = {f"callVariable{i + 1}": v for i, v in enumerate(self)}
        out.update(zip(self.names, self))
        return out

    def keys(self) -> Iterator[str]:
        """The name of each position (configured, else ``callVariableN``)."""
        return iter(self.names)

    def __repr__(self) -> str:
        return "CallVariables({})".format(", ".join(
            f"{n}={v!r}" for n, v in zip(self.names, self)))


_STATES = CallState._value2member_map_


def _state(text: str) -> CallState:
    # Enum's __call__ costs a microsecond; the map lookup a few dozen ns.
    return _STATES.get(text) or CallState(text)  # type: ignore[return-value]


def fast_constructor(cls: Type[_T]) -> Callable[..., _T]:
    """A constructor for a frozen dataclass taking every field (by position
    or name) that fills ``__dict__`` at once: about half the cost of the
    generated ``__init__``, which sets each field through
    ``object.__setattr__``. For the readers; users call the class."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    pairs = ", ".join(f"{n!r}: {n}" for n in names)
    namespace: Dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    exec(f"def build({', '.join(names)}):\n"  # noqa: S102 - fixed field names only
         f"    o = _new(_cls)\n    o.__dict__.update({{{pairs}}})\n    return o\n", namespace)
    build: Callable[..., _T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


__all__ = ["CallState", "CallVariables", "parse_timestamp", "fast_constructor"]
