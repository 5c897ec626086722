"""Client configuration: a dataclass with the library's defaults."""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _native
from ._errors import ConfigError, sync_call

#: Integers Rust holds as u64/i64 (milliseconds) and u32.
_MAX_MS = 2**63 - 1
_MAX_U32 = 2**32 - 1

#: Settings Python keeps for itself (not part of the native config).
_PYTHON_ONLY = ("call_variable_names",)


@dataclasses.dataclass
class Config:
    """Everything a client needs. Only ``brokers`` is required.

    ``brokers`` is one URL (``"tcp://mq:61613"``) or a list tried in order.
    ``broker_passcode`` is never shown by ``repr``. Times are milliseconds,
    as in the TOML file and the ``GCCLIENT_*`` environment variables.
    ``call_variable_names`` names call-variable positions the way the
    deployment configured them (``["callVariable1", "user.account"]``), for
    ``call.variables["user.account"]``; Python-only.

    A value of the wrong type or out of range raises :class:`ConfigError`
    naming the setting and what it accepts, when the config is made and again
    before it is used; :meth:`validate` also runs the library's own checks.
    """

    brokers: Union[str, List[str]]
    broker_login: Optional[str] = None
    broker_passcode: Optional[str] = dataclasses.field(default=None, repr=False)
    vhost: Optional[str] = None
    tls_ca_file: Optional[str] = None
    queue: str = "Connector1"
    destination: Optional[str] = None
    command_ttl_ms: int = 10_000
    persistent: bool = False
    hello_interval_ms: int = 3_000
    beat_interval_ms: int = 5_000
    request_timeout_ms: int = 10_000
    stomp_heartbeat_ms: int = 10_000
    receipt_timeout_ms: int = 5_000
    connect_timeout_ms: int = 10_000
    backoff_max_ms: int = 5_000
    wire_names: Dict[str, str] = dataclasses.field(default_factory=dict)
    hash_token: Optional[str] = None
    event_buffer: int = 4096
    event_buffer_bytes: int = 4 * 1024 * 1024
    max_header_bytes: int = 10240
    max_frame_bytes: int = 100 * 1024 * 1024
    max_inbound_frame_bytes: int = 16 * 1024 * 1024
    retry_on_auth_failure: bool = False
    relogin_after_reconnect: bool = True
    clock_skew_warn_ms: int = 1_000
    match_uncorrelated_replies: bool = False
    call_variable_names: Sequence[str] = ()

    def __post_init__(self) -> None:
        if isinstance(self.brokers, str):
            self.brokers = [self.brokers]
        self._check()

    def _check(self) -> None:
        """Python's own checks: types and the ranges Rust can hold."""
        if isinstance(self.brokers, str):
            self.brokers = [self.brokers]
        if not isinstance(self.brokers, (list, tuple)) or not all(
                isinstance(b, str) for b in self.brokers):
            raise ConfigError("brokers: must be a broker URL or a list of URLs "
                              f"(got {self.brokers!r})")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            kind = _KINDS.get(f.name)
            if kind is None:
                continue
            check, accepted = kind
            if not check(value):
                shown = "***" if f.name == "broker_passcode" else repr(value)
                raise ConfigError(f"{f.name}: must be {accepted} (got {shown})")

    @property
    def broker_list(self) -> List[str]:
        """``brokers`` as a list."""
        return [self.brokers] if isinstance(self.brokers, str) else list(self.brokers)

    def __repr__(self) -> str:
        # Broker URLs may carry `user:password@`; show `user:***@`.
        shown = []
        for f in dataclasses.fields(self):
            if not f.repr:
                continue
            v = getattr(self, f.name)
            if f.name == "brokers":
                v = [re.sub(r"(://[^/@:]*):[^@/]*@", r"\1:***@", b) for b in v]
            shown.append(f"{f.name}={v!r}")
        return f"Config({', '.join(shown)})"

    @classmethod
    def from_toml(cls, text: str) -> "Config":
        """A config from TOML text (keys as the field names)."""
        return cls._from_native(sync_call(_native.config_from_toml, text))

    @classmethod
    def from_toml_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Config":
        """A config from a TOML file (keys as the field names)."""
        with open(path, encoding="utf-8") as f:
            return cls.from_toml(f.read())

    @classmethod
    def from_env(cls) -> "Config":
        """Defaults overridden by ``GCCLIENT_*`` environment variables."""
        return cls._from_native(sync_call(_native.config_from_env))

    def validate(self) -> None:
        """Raises :class:`ConfigError` naming the bad setting and what it accepts."""
        sync_call(_native.validate_config, self.to_native())

    def to_native(self) -> _native.ClientConfig:
        """The config as the native record (checked first)."""
        self._check()
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                  if f.name not in _PYTHON_ONLY}
        fields["brokers"] = self.broker_list
        fields["wire_names"] = dict(self.wire_names)
        if self.broker_passcode is not None:
            fields["broker_passcode"] = _native.SecretHandle(self.broker_passcode)
        return _native.ClientConfig(**fields)

    @classmethod
    def _from_native(cls, c: _native.ClientConfig) -> "Config":
        values = {f.name: getattr(c, f.name) for f in dataclasses.fields(cls)
                  if f.name not in _PYTHON_ONLY}
        if c.broker_passcode is not None:
            # The passcode stays inside the native Secret; keep that object.
            values["broker_passcode"] = None
        cfg = cls(**values)
        cfg._native_passcode = c.broker_passcode  # type: ignore[attr-defined]
        return cfg


def _ms(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MAX_MS


_MAX_I32 = 2**31 - 1


def _i32(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MAX_I32


def _u32(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MAX_U32


def _opt_str(v: Any) -> bool:
    return v is None or isinstance(v, str)


_MS = (_ms, f"an integer number of milliseconds from 0 to {_MAX_MS}")
_KINDS: Dict[str, Tuple[Any, str]] = {
    "broker_login": (_opt_str, "a string or None"),
    "broker_passcode": (_opt_str, "a string or None"),
    "vhost": (_opt_str, "a string or None"),
    "tls_ca_file": (_opt_str, "a file path (string) or None"),
    "queue": (lambda v: isinstance(v, str) and v != "", "a non-empty queue name"),
    "destination": (_opt_str, "a topic name or None"),
    "command_ttl_ms": _MS,
    "persistent": (lambda v: isinstance(v, bool), "True or False"),
    "hello_interval_ms": _MS,
    "beat_interval_ms": _MS,
    "request_timeout_ms": _MS,
    "stomp_heartbeat_ms": _MS,
    "receipt_timeout_ms": _MS,
    "connect_timeout_ms": _MS,
    "backoff_max_ms": _MS,
    "wire_names": (lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and isinstance(x, str) for k, x in v.items()),
        "a dict of API name -> wire name (strings)"),
    "hash_token": (_opt_str, "a string or None"),
    # The native record holds a signed 32-bit count (Java has no unsigned).
    "event_buffer": (_i32, f"an integer from 0 to {_MAX_I32}"),
    "relogin_after_reconnect": (lambda v: isinstance(v, bool), "True or False"),
    "clock_skew_warn_ms": _MS,
    "match_uncorrelated_replies": (lambda v: isinstance(v, bool), "True or False"),
    "call_variable_names": (lambda v: not isinstance(v, str) and all(
        isinstance(n, str) for n in v), "a list of names (strings)"),
}


def variable_names(config: "ConfigLike") -> Tuple[str, ...]:
    """The configured call-variable names of a config-like value."""
    return tuple(config.call_variable_names) if isinstance(config, Config) else ()


ConfigLike = Union[Config, str, Sequence[str], _native.ClientConfig]


def to_native(config: ConfigLike) -> _native.ClientConfig:
    """A config, one URL or a list of URLs as the native record."""
    if isinstance(config, _native.ClientConfig):
        return config
    if isinstance(config, str):
        config = Config([config])
    elif not isinstance(config, Config):
        config = Config(list(config))
    native = config.to_native()
    kept = getattr(config, "_native_passcode", None)
    if config.broker_passcode is None and kept is not None:
        native.broker_passcode = kept
    return native
