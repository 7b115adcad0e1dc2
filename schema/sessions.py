"""`login` and `logout`: how a manager becomes the caller of their requests (docs/security.md).

`login` is the one field an anonymous request may ask for. The session token it returns goes in
`Authorization: Bearer <token>`; every upstream call of that session then carries the manager's
own upstream token, so the upstream's permissions for that manager apply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from pydantic import SecretStr

from auth.sessions import log_in
from auth.store import SessionStore
from resolvers.context import Info
from schema.money.mutations import mutation


@strawberry.type(description="An open session: send `token` as `Authorization: Bearer <token>`.")
class Session:
    token: str
    expires_at: datetime


@strawberry.type(description="The upstream refused this manager login and password.")
class InvalidCredentials:
    message: str = "Invalid manager login or password."


LoginResult = Annotated[Session | InvalidCredentials, strawberry.union("LoginResult")]


def _sessions(info: Info) -> SessionStore:
    return SessionStore(info.context.money.engine)


@strawberry.type
class SessionMutation:
    @mutation("Open a session as this upstream manager.")
    async def login(self, info: Info, manager_login: int, password: str) -> LoginResult:
        settings, client = info.context.settings, info.context.services.client
        if manager_login <= 0:  # names no manager: refused before the upstream's token call
            message = f"managerLogin must be positive, got {manager_login}."
            return InvalidCredentials(message=message)
        opened = await log_in(
            client,
            _sessions(info),
            manager_login,
            SecretStr(password),
            settings.session_ttl_seconds,
        )
        if opened is None:
            return InvalidCredentials()
        if (address := info.context.client_address) is not None:
            await info.context.logins.succeeded(manager_login, address)  # auth/throttle.py
        return Session(token=opened.token, expires_at=opened.expires_at)

    @mutation("Revoke the session this request is made with.")
    async def logout(self, info: Info) -> bool:
        identity = info.context.identity
        if identity is None or identity.session_token is None:
            return False
        return await _sessions(info).revoke(identity.session_token)
