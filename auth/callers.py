"""`Caller`: who a request acts for, decided once per request at the door (auth.identify)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Caller:
    """A manager with their own upstream token, a partner key, or the configured manager.

    `name` is what the money journal and the logs record; `upstream_token` is None when the
    service's own manager token is used (partner keys, the default caller). It never shows in
    a repr.
    """

    name: str
    manager_login: int | None = None
    upstream_token: str | None = field(default=None, repr=False)
    partner: str | None = None
    read_only: bool = False
    session_token: str | None = field(default=None, repr=False)

    @classmethod
    def manager(cls, login: int, upstream_token: str | None = None) -> Caller:
        return cls(str(login), login, upstream_token)

    @classmethod
    def session(cls, login: int, upstream_token: str, session_token: str) -> Caller:
        """A manager who logged in: their token upstream, and the session to revoke on logout."""
        return cls(str(login), login, upstream_token, session_token=session_token)

    @classmethod
    def partner_key(cls, partner: str, *, read_only: bool) -> Caller:
        return cls(f"partner:{partner}", partner=partner, read_only=read_only)
