"""The service's own errors, and the one table that turns any failure into a GraphQL error code.

`describe` is consulted once per error, by the schema's error extension: resolvers just raise.
Upstream errors get a stable `code` and a fixed message naming the upstream call's path
template (never its URL, which carries the token); anything unexpected is `INTERNAL_ERROR`
with a fixed message, its detail going to the log only.

    code                         raised for
    BAD_USER_INPUT               InvalidInput (a wrong argument: page size, cursor, window)
    NOT_FOUND                    upstream TRADER_NOT_FOUND / USER_NOT_FOUND, or a vanished trader
    FORBIDDEN                    upstream NOT_ENOUGH_RIGHTS, or Forbidden (a partner key asking
                                 for the money journal's activity figures)
    HISTORY_NOT_SYNCED           an activity window the deal mirror does not hold whole
    UPSTREAM_AUTH_FAILED         upstream INVALID_TOKEN / IP_NOT_ALLOWED (our credentials)
    UPSTREAM_RATE_LIMITED        upstream 429 (extensions.retryAfter in seconds when given)
    UPSTREAM_TIMEOUT             no answer in time
    UPSTREAM_UNAVAILABLE         connection failures, 5xx, an open circuit breaker
    UPSTREAM_BAD_RESPONSE        a body that did not parse
    UPSTREAM_REJECTED            any other upstream error answer (extensions.upstreamCode)
    INTERNAL_ERROR               anything else
"""

from __future__ import annotations

from dataclasses import dataclass, field

from history.coverage import HistoryNotSynced
from upstream import errors as upstream


class InvalidInput(Exception):
    """An argument the service refuses; the message is shown to the client as is."""


def positive_login(login: int, name: str = "login") -> int:
    """`login` itself; a login that is not positive names no account: refused before any call."""
    if login <= 0:
        raise InvalidInput(f"{name} must be positive, got {login}.")
    return login


class Forbidden(Exception):
    """Something this caller may never see; the message says what, and is shown as is."""


class TraderGone(Exception):
    """The index knew this login but the upstream no longer has (or shows) it."""

    def __init__(self, login: int) -> None:
        super().__init__(f"Trader {login} no longer exists.")


@dataclass(frozen=True)
class ErrorDescription:
    code: str
    message: str
    extensions: dict[str, str | float] = field(default_factory=dict)


_UPSTREAM: tuple[tuple[type[upstream.UpstreamError], str, str], ...] = (
    (upstream.UpstreamTimeout, "UPSTREAM_TIMEOUT", "The upstream did not answer in time"),
    (upstream.MalformedResponse, "UPSTREAM_BAD_RESPONSE", "The upstream answered garbage"),
    (upstream.UpstreamUnavailable, "UPSTREAM_UNAVAILABLE", "The upstream is unavailable"),
    (upstream.RateLimited, "UPSTREAM_RATE_LIMITED", "The upstream is rate limiting us"),
    (upstream.InvalidToken, "UPSTREAM_AUTH_FAILED", "The upstream refused our credentials"),
    (upstream.IpNotAllowed, "UPSTREAM_AUTH_FAILED", "The upstream refused our credentials"),
    (upstream.NotEnoughRights, "FORBIDDEN", "The manager may not see this"),
    (upstream.TraderNotFound, "NOT_FOUND", "No such trader"),
    (upstream.UserNotFound, "NOT_FOUND", "No such user"),
    (upstream.UpstreamRejected, "UPSTREAM_REJECTED", "The upstream refused the request"),
)


def _upstream(error: upstream.UpstreamError) -> ErrorDescription:
    code, message = next((c, m) for kind, c, m in _UPSTREAM if isinstance(error, kind))
    extensions: dict[str, str | float] = {"upstreamCall": error.call}
    if isinstance(error, upstream.UpstreamRejected):
        extensions["upstreamCode"] = error.code
    if isinstance(error, upstream.RateLimited) and error.retry_after is not None:
        extensions["retryAfter"] = error.retry_after
    return ErrorDescription(code, f"{message} ({error.call}).", extensions)


def describe(error: BaseException) -> ErrorDescription:
    """The code and client-facing message for `error`."""
    if isinstance(error, upstream.UpstreamError):
        return _upstream(error)
    if isinstance(error, InvalidInput):
        return ErrorDescription("BAD_USER_INPUT", str(error))
    if isinstance(error, TraderGone):
        return ErrorDescription("NOT_FOUND", str(error))
    if isinstance(error, Forbidden):
        return ErrorDescription("FORBIDDEN", str(error))
    if isinstance(error, HistoryNotSynced):
        synced = error.coverage.describe()
        return ErrorDescription("HISTORY_NOT_SYNCED", str(error), {"synced": synced})
    return ErrorDescription("INTERNAL_ERROR", "Unexpected error.")
