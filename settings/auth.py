"""`AuthSettings`: how callers identify themselves; a base of `ServiceSettings`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings


class PartnerKey(BaseModel):
    """A configured partner-portal key, known by the SHA-256 hex digest of the key."""

    model_config = ConfigDict(frozen=True)

    partner: str = Field(description="The partner id (introducingBroker1/2) the key may see.")
    read_only: bool = Field(default=True, description="Whether the key may run no mutation.")


class AuthSettings(BaseSettings):
    session_ttl_seconds: float = Field(
        default=8 * 3600, gt=0, description="Lifetime of a session token from `login`."
    )
    session_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        description="How long a process takes a session it read from the database as it was,"
        " instead of reading it again for each request; a session revoked by another worker or"
        " replica is still accepted by this one for up to that long. 0: read every time.",
    )
    default_caller: bool | None = Field(
        default=None,
        description="Serve requests without Authorization as the configured manager. Unset:"
        " yes in development (the demo), no in production.",
    )
    login_free_attempts: int = Field(
        default=5,
        gt=0,
        description="Logins one address may try for one manager login without waiting; each"
        " further try waits twice as long as the one before (1 s, 2 s, 4 s...). A success resets.",
    )
    login_free_attempts_per_address: int = Field(
        default=20,
        gt=0,
        description="Logins one address may try, for any manager, before the same growing delays.",
    )
    login_max_delay_seconds: float = Field(
        default=300, gt=0, description="The longest delay between two logins from one address."
    )
    partner_keys: dict[str, PartnerKey] = Field(
        default_factory=dict,
        description='sha256(key) -> {"partner", "read_only"}; JSON in the environment. Keys'
        " made by `tradergraph keys create` live in the database instead.",
    )
