"""Client configuration: a dataclass with the library's defaults."""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Dict, List, Optional, Sequence, Union

from . import _native
from ._errors import sync_call


@dataclasses.dataclass
class Config:
    """Everything a client needs. Only ``brokers`` is required.

    ``broker_passcode`` is never shown by ``repr``. Times are milliseconds,
    as in the TOML file and the ``GCCLIENT_*`` environment variables.
    """

    brokers: List[str]
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

    def __post_init__(self) -> None:
        if isinstance(self.brokers, str):
            self.brokers = [self.brokers]

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
        with open(path, encoding="utf-8") as f:
            return cls.from_toml(f.read())

    @classmethod
    def from_env(cls) -> "Config":
        """Defaults overridden by ``GCCLIENT_*`` environment variables."""
        return cls._from_native(sync_call(_native.config_from_env))

    def validate(self) -> None:
        """Raises :class:`ConfigError` naming the bad setting."""
        sync_call(_native.validate_config, self.to_native())

    def to_native(self) -> _native.ClientConfig:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields["brokers"] = list(self.brokers)
        if self.broker_passcode is not None:
            fields["broker_passcode"] = _native.Secret(self.broker_passcode)
        return _native.ClientConfig(**fields)

    @classmethod
    def _from_native(cls, c: _native.ClientConfig) -> "Config":
        values = {f.name: getattr(c, f.name) for f in dataclasses.fields(cls)}
        if c.broker_passcode is not None:
            # The passcode stays inside the native Secret; keep that object.
            values["broker_passcode"] = None
        cfg = cls(**values)
        cfg._native_passcode = c.broker_passcode  # type: ignore[attr-defined]
        return cfg


def to_native(config: Union[Config, str, Sequence[str], _native.ClientConfig]) -> _native.ClientConfig:
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
