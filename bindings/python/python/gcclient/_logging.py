"""Forwards the library's log records to Python's ``logging``.

Records go to loggers named after the Rust module (``gcclient.session.engine``,
``gcclient.stomp.transport``); configure the ``gcclient`` logger as usual.
The ``gcclient`` logger has a :class:`logging.NullHandler`, so a program
that configures no logging prints nothing.

At DEBUG, logger ``gcclient.command`` gets one record per command sent and
one per outcome (reply, refusal, failure), with the attributes ``agent``,
``command``, ``correlation_id`` and (outcomes) ``latency_ms``; bodies and
passwords are never logged.

The level forwarded from Rust follows the ``gcclient`` logger's effective
level, read again on every ``connect()`` (or call :func:`refresh_log_level`).
"""

from __future__ import annotations

import atexit
import logging
from typing import Any, Callable, Dict

from . import _native

_LEVELS = {
    _native.LogLevel.TRACE: 5,
    _native.LogLevel.DEBUG: logging.DEBUG,
    _native.LogLevel.INFO: logging.INFO,
    _native.LogLevel.WARN: logging.WARNING,
    _native.LogLevel.ERROR: logging.ERROR,
}

_ROOT = logging.getLogger("gcclient")
# A library adds no output of its own: without this, Python's last-resort
# handler prints every WARNING of a program that configured no logging.
_ROOT.addHandler(logging.NullHandler())

_COMMAND_TARGET = "gcclient::command"
_COMMAND_FIELDS = ("agent", "correlation_id", "reply", "error", "latency_ms")


def _native_level(py_level: int) -> _native.LogLevel:
    for native, level in sorted(_LEVELS.items(), key=lambda kv: kv[1]):
        if py_level <= level:
            return native
    return _native.LogLevel.OFF


def _command_fields(message: str) -> Dict[str, Any]:
    """``sent make_ready agent=1001 correlation_id=ab`` -> the record's extras
    (``error=`` comes last and runs to the end: its text has spaces)."""
    head, _, error = message.partition(" error=")
    words = head.split(" ")
    extra: Dict[str, Any] = {"outcome": words[0],
                             "command": words[1] if len(words) > 1 else ""}
    for word in words[2:]:
        key, _, value = word.partition("=")
        if key in _COMMAND_FIELDS:
            extra[key] = float(value) if key == "latency_ms" else value
    if error:
        extra["error"] = error
    return extra


class _Sink(_native.LogSink):
    """Receives the Rust records (on library threads)."""

    def log(self, record: _native.LogRecord) -> None:
        """Hands one record to ``logging``."""
        # Called on library threads; an exception here must not reach Rust.
        try:
            name = record.target.replace("::", ".")
            if not name.startswith("gcclient"):
                name = "gcclient." + name
            logger = logging.getLogger(name)
            level = _LEVELS.get(record.level, logging.INFO)
            if not logger.isEnabledFor(level):
                return
            extra = _command_fields(record.message) if record.target == _COMMAND_TARGET else None
            logger.log(level, "%s", record.message, extra=extra)
        except Exception:  # pragma: no cover - logging itself failed
            pass


_installed = False


def refresh_log_level() -> None:
    """Re-reads the ``gcclient`` logger's effective level."""
    if _installed:
        _native.set_log_level(_native_level(_ROOT.getEffectiveLevel()))


def _install() -> None:
    global _installed
    try:
        _native.install_log_sink(_Sink(), _native_level(_ROOT.getEffectiveLevel()))
        _installed = True
    except _native.GcError as e:  # another tracing subscriber owns the process
        _ROOT.debug("Rust log records are not forwarded: %s", getattr(e, "detail", e))


_exit_hooks: "list[Callable[[], None]]" = []


@atexit.register
def _stop() -> None:
    # Library threads must not call into an interpreter that is shutting
    # down (Python would end them mid-call and the process would abort):
    # stop listeners, then wait for wake-ups and log records in progress.
    for hook in _exit_hooks:
        try:
            hook()
        except Exception:  # pragma: no cover
            pass
    _native.shutdown_callbacks()


_install()
