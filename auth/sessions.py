"""Logging in and out: the service asks the upstream for the manager's own token and keeps it
behind an opaque session token of its own (auth.store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import SecretStr

from auth.store import SessionStore
from upstream.client import WebServicesClient
from upstream.errors import InvalidToken


@dataclass(frozen=True)
class Opened:
    token: str
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Opened(expires_at={self.expires_at.isoformat()})"


async def log_in(
    client: WebServicesClient,
    sessions: SessionStore,
    login: int,
    password: SecretStr,
    ttl_seconds: float,
) -> Opened | None:
    """A new session for the manager, or None when the upstream refuses the credentials."""
    try:
        upstream_token = await client.token_for(login, password)
    except InvalidToken:  # 401 INVALID_CREDENTIALS: wrong login or password
        return None
    token, expires_ms = await sessions.open(login, upstream_token, ttl_seconds)
    return Opened(token, datetime.fromtimestamp(expires_ms / 1000, UTC))
