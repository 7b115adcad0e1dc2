"""`ServiceSettings`: everything the GraphQL service needs to know, typed and read once.

Built at the edge (`tradergraph serve`, the demo, a test) and passed down as one object: nothing
below `server.py` reads the environment. Every field can be set from an environment variable
named `TRADERGRAPH_<FIELD>` (for example `TRADERGRAPH_UPSTREAM_URL`); `white_labels` is JSON there.
The manager password is a `SecretStr`, so it never shows in a `repr`, a log line or a traceback.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from settings.auth import AuthSettings
from settings.history import HistorySettings
from settings.limits import LimitSettings
from upstream.config import KEEPALIVE_EXPIRY, ClientConfig, PoolLimits, Timeouts
from upstream.enums import WireFormat


class Mode(StrEnum):
    """`production` masks unexpected errors; `development` also shows their detail to the client."""

    PRODUCTION = "production"
    DEVELOPMENT = "development"


class LogFormat(StrEnum):
    """`json`: one JSON object per line, for log pipelines; `console`: readable, for a terminal."""

    JSON = "json"
    CONSOLE = "console"


class WhiteLabel(BaseModel):
    """What the upstream does not say about a white label (`brokerName`): where it lives."""

    model_config = ConfigDict(frozen=True)

    environment: str = Field(description="Trading environment of the white label, e.g. `demo`.")
    jurisdiction: str = Field(description="Regulatory jurisdiction, e.g. `CY`, `AU`.")


class ServiceSettings(LimitSettings, AuthSettings, HistorySettings, BaseSettings):
    """The service's configuration. Field descriptions are the documentation of each variable.

    The operation limits (`max_depth`, `max_upstream_calls`, ...) are inherited from
    `LimitSettings`, the callers' (`session_ttl_seconds`, `default_caller`, `partner_keys`) from
    `AuthSettings`; both are documented there and in docs/security.md. The deal mirror's
    (`history_*`) come from `HistorySettings`, documented in docs/history.md.
    """

    # hide_input_in_errors: a refused setting never prints the inputs, the password among them.
    model_config = SettingsConfigDict(
        env_prefix="TRADERGRAPH_", frozen=True, extra="ignore", hide_input_in_errors=True
    )

    upstream_url: str = Field(
        default="http://127.0.0.1:8081",
        description="Base URL of the WebServices host, without `/v2` or `/cid`.",
    )
    manager_login: int = Field(default=1001, description="Login of the upstream manager.")
    manager_password: SecretStr = Field(
        default=SecretStr(""), description="The manager's password (hashed as MD5 on the wire)."
    )
    manager_password_file: Path | None = Field(
        default=None,
        description="A file whose first line is the manager's password (a container secret, say),"
        " read once at start-up; instead of `TRADERGRAPH_MANAGER_PASSWORD`, never with it.",
    )
    upstream_format: WireFormat = Field(
        default=WireFormat.JSON, description="Body format of `/v2/webserv` calls: json or xml."
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///tradergraph.db",
        description="SQLAlchemy async URL of the service's own database (users, links, journal).",
    )
    white_labels: dict[str, WhiteLabel] = Field(
        default_factory=dict,
        description='brokerName -> {"environment", "jurisdiction"}; JSON in the environment.',
    )
    connect_timeout_seconds: float = Field(default=5.0, gt=0, description="Upstream connect.")
    read_timeout_seconds: float = Field(default=15.0, gt=0, description="Upstream read.")
    total_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Deadline of one upstream call, retries included."
    )
    upstream_keepalive_seconds: float = Field(
        default=KEEPALIVE_EXPIRY,
        gt=0,
        description="How long an idle upstream connection is kept for reuse. Keep it below the"
        " upstream's own idle timeout (and any proxy's on the way), so the client drops a"
        " connection before the server closes it under a request (docs/operations.md).",
    )
    index_ttl_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How stale the cached trader index (login, registration, WL, group, partners)"
        " may be before a query rebuilds it.",
    )
    read_cache_seconds: float = Field(
        default=0.0,
        ge=0,
        le=300,
        description="How long an upstream read's answer is reused for identical reads with the"
        " same credentials (in Redis when `TRADERGRAPH_REDIS_URL` is set); 0 keeps none, and"
        " only reads in flight at once are shared. The service's own writes are read back at"
        " once (docs/operations.md).",
    )
    read_cache_memory_bytes: int = Field(
        default=64 * 2**20,
        gt=0,
        description="Most bytes of answers one process keeps (the in-memory read cache, or its"
        " decoded copies of answers in Redis); the oldest leave first.",
    )
    max_page_size: int = Field(
        default=500, gt=0, description="Largest `first` a connection accepts."
    )
    loader_batch_size: int = Field(
        default=500, gt=0, description="Most keys one dataloader batch sends upstream at once."
    )
    mode: Mode = Field(default=Mode.PRODUCTION, description="production or development.")
    host: str = Field(default="127.0.0.1", description="Address `serve` binds.")
    port: int = Field(default=8000, gt=0, lt=65536, description="Port `serve` binds.")
    unsafe_public_bind: bool = Field(
        default=False,
        description="Let `serve` and `demo` bind an address other than loopback while anonymous"
        " requests act as the manager (development mode or `TRADERGRAPH_DEFAULT_CALLER`); off,"
        " they refuse to start.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Worker processes `serve` runs on its one port, each with its own trader"
        " index, caches and pollers (docs/operations.md: what is per process).",
    )
    log_format: LogFormat = Field(
        default=LogFormat.JSON, description="Log lines as `json` (one object a line) or `console`."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Lowest level logged: DEBUG, INFO, WARNING or ERROR."
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP traces URL (e.g. `http://collector:4318/v1/traces`); unset, no"
        " span leaves the process.",
    )
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at `/metrics`."
    )
    ops_port: int | None = Field(
        default=None,
        ge=0,
        lt=65536,
        description="Serve `/readyz` and `/metrics` on this port of `ops_host` instead of the main"
        " port (which then answers 404 for them); unset, the main port serves them. 0: any free"
        " port.",
    )
    ops_host: str = Field(
        default="127.0.0.1",
        description="Address of the operations port (`ops_port`); `0.0.0.0` in a container whose"
        " probes and scraper come from outside it.",
    )
    live_poll_interval_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often a subscription's shared poller reads the upstream (or the journal)."
        " The upstream has no push; Spotware asks integrators to refresh about once a minute and"
        " may cut off callers who poll more often (docs/subscriptions.md).",
    )
    live_backoff_ceiling_seconds: float = Field(
        default=300.0,
        gt=0,
        description="Longest wait of a poller backing off after 429s and 5xxs (a Retry-After"
        " above it still wins).",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (e.g. `redis://redis:6379/0`); set, replicas share each poller"
        " (one leader per key) and fan subscriptions out through Redis pub/sub.",
    )
    redis_key_prefix: str = Field(
        default="tradergraph:live",
        description="Prefix of the Redis keys and channels, for deployments sharing one Redis.",
    )
    live_leader_ttl_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Lifetime of a poller's leader lock in Redis: how long replicas wait for a"
        " dead leader before another takes its poller over.",
    )
    ws_init_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="A websocket that sends no `connection_init` within this time is closed.",
    )
    max_subscriptions_per_connection: int = Field(
        default=50, gt=0, description="Most subscriptions one websocket connection may hold open."
    )

    @model_validator(mode="after")
    def _password_from_file(self) -> ServiceSettings:
        """`manager_password_file`, read into `manager_password` (the one the service uses).

        After validation, so that a refusal shows the masked settings, never the password."""
        if self.manager_password_file is None:
            return self
        if self.manager_password.get_secret_value():
            raise ValueError("give the manager password once: its variable or its file, not both")
        self.__dict__["manager_password"] = read_secret(self.manager_password_file)
        return self

    def upstream_config(self) -> ClientConfig:
        """The upstream client's configuration: the service and `history sync` build it here."""
        timeouts = Timeouts(
            connect=self.connect_timeout_seconds,
            read=self.read_timeout_seconds,
            total=self.total_timeout_seconds,
        )
        return ClientConfig(
            base_url=self.upstream_url,
            manager_login=self.manager_login,
            manager_password=self.manager_password,
            wire_format=self.upstream_format,
            timeouts=timeouts,
            pool=PoolLimits(keepalive_expiry=self.upstream_keepalive_seconds),
        )


def read_secret(path: Path) -> SecretStr:
    """The first line of `path`; a secret file may end with a newline, never be empty."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the manager password file {path}: {error}") from None
    if not lines or not lines[0]:
        raise ValueError(f"the manager password file {path} is empty")
    return SecretStr(lines[0])
