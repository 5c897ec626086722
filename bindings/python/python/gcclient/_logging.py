"""Forwards the library's log records to Python's ``logging``.

Records go to loggers named after the Rust module (``gcclient.session.engine``,
``gcclient.stomp.transport``); configure the ``gcclient`` logger as usual.
The level forwarded from Rust follows that logger's effective level, read
again on every ``connect()`` (or call :func:`refresh_log_level`).
"""

from __future__ import annotations

import atexit
import logging
from typing import Callable

from . import _native

_LEVELS = {
    _native.LogLevel.TRACE: 5,
    _native.LogLevel.DEBUG: logging.DEBUG,
    _native.LogLevel.INFO: logging.INFO,
    _native.LogLevel.WARN: logging.WARNING,
    _native.LogLevel.ERROR: logging.ERROR,
}

_ROOT = logging.getLogger("gcclient")


def _native_level(py_level: int) -> _native.LogLevel:
    for native, level in sorted(_LEVELS.items(), key=lambda kv: kv[1]):
        if py_level <= level:
            return native
    return _native.LogLevel.OFF


class _Sink(_native.LogSink):
    def log(self, record: _native.LogRecord) -> None:
        # Called on library threads; an exception here must not reach Rust.
        try:
            name = record.target.replace("::", ".")
            if not name.startswith("gcclient"):
                name = "gcclient." + name
            logging.getLogger(name).log(_LEVELS.get(record.level, logging.INFO), "%s",
                                        record.message)
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
        _ROOT.debug("Rust log records are not forwarded: %s", e.detail)


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
