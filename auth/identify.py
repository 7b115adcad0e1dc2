"""From `Authorization: Bearer <token>` to a `Caller`, once per request.

no header              the default caller (the configured manager) when enabled, else None
Bearer tgs_...         a session from `login`: that manager, with their upstream token
Bearer tgk_...         a partner key, from the database or the configured digests
anything else          Unauthenticated (a clear 401, never a guess)
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.callers import Caller
from auth.secrets import KEY_PREFIX, SESSION_PREFIX, digest
from auth.store import KeyStore, SessionStore
from settings import Mode, ServiceSettings


class Unauthenticated(Exception):
    """The request names a caller the service does not know; the message goes to the client."""


UNKNOWN = "The bearer token is unknown, revoked or expired; log in again."
MALFORMED = "Authorization must be 'Bearer <token>'."


def default_caller_enabled(settings: ServiceSettings) -> bool:
    if settings.default_caller is not None:
        return settings.default_caller
    return settings.mode == Mode.DEVELOPMENT


@dataclass(frozen=True)
class Identifier:
    settings: ServiceSettings
    sessions: SessionStore
    keys: KeyStore

    async def caller(self, authorization: str | None) -> Caller | None:
        """The caller of a request with this header; None is an anonymous request."""
        if authorization is None:
            return self._default()
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated(MALFORMED)
        return await self._bearer(token.strip())

    def _default(self) -> Caller | None:
        if not default_caller_enabled(self.settings):
            return None
        return Caller.manager(self.settings.manager_login)

    async def _bearer(self, token: str) -> Caller:
        if token.startswith(SESSION_PREFIX):
            session = await self.sessions.find(token)
            if session is not None:
                return Caller.session(session.manager_login, session.upstream_token, token)
        elif token.startswith(KEY_PREFIX):
            grant = await self.keys.find(token) or self.settings.partner_keys.get(digest(token))
            if grant is not None:
                return Caller.partner_key(grant.partner, read_only=grant.read_only)
        raise Unauthenticated(UNKNOWN)
