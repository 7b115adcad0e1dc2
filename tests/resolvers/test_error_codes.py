"""The one table from exception to GraphQL error code and message (resolvers.errors)."""

from __future__ import annotations

import pytest

from resolvers.errors import ErrorDescription, InvalidInput, TraderGone, describe
from upstream import errors as upstream

PATH = "/v2/webserv/traders/{login}"
AT = "(GET /v2/webserv/traders/{login})"


def _rejected(kind: type[upstream.UpstreamRejected], code: str, status: int) -> BaseException:
    return kind(code, "the upstream's words", status=status, method="GET", path=PATH)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            upstream.UpstreamTimeout("no answer", method="GET", path=PATH),
            ("UPSTREAM_TIMEOUT", f"The upstream did not answer in time {AT}.", {}),
        ),
        (
            upstream.ServerError("500", status=500, code="UNKNOWN_ERROR", method="GET", path=PATH),
            ("UPSTREAM_UNAVAILABLE", f"The upstream is unavailable {AT}.", {}),
        ),
        (
            upstream.CircuitOpen("paused", method="GET", path=PATH),
            ("UPSTREAM_UNAVAILABLE", f"The upstream is unavailable {AT}.", {}),
        ),
        (
            upstream.MalformedResponse("not json", method="GET", path=PATH),
            ("UPSTREAM_BAD_RESPONSE", f"The upstream answered garbage {AT}.", {}),
        ),
        (
            _rejected(upstream.NotEnoughRights, "NOT_ENOUGH_RIGHTS", 403),
            (
                "FORBIDDEN",
                f"The manager may not see this {AT}.",
                {"upstreamCode": "NOT_ENOUGH_RIGHTS"},
            ),
        ),
        (
            _rejected(upstream.TraderNotFound, "TRADER_NOT_FOUND", 404),
            ("NOT_FOUND", f"No such trader {AT}.", {"upstreamCode": "TRADER_NOT_FOUND"}),
        ),
        (
            _rejected(upstream.InvalidToken, "INVALID_TOKEN", 401),
            (
                "UPSTREAM_AUTH_FAILED",
                f"The upstream refused our credentials {AT}.",
                {"upstreamCode": "INVALID_TOKEN"},
            ),
        ),
        (
            _rejected(upstream.InvalidRequest, "INVALID_REQUEST", 400),
            (
                "UPSTREAM_REJECTED",
                f"The upstream refused the request {AT}.",
                {"upstreamCode": "INVALID_REQUEST"},
            ),
        ),
    ],
)
def test_upstream_errors_get_a_stable_code_and_name_the_call(
    error: BaseException, expected: tuple[str, str, dict[str, str]]
) -> None:
    code, message, extra = expected
    assert describe(error) == ErrorDescription(
        code, message, {"upstreamCall": "GET /v2/webserv/traders/{login}", **extra}
    )


def test_a_rate_limit_passes_on_its_retry_after() -> None:
    error = upstream.RateLimited(
        "REQUEST_FREQUENCY_EXCEEDED",
        "slow down",
        status=429,
        retry_after=12.5,
        method="GET",
        path=PATH,
    )
    assert describe(error) == ErrorDescription(
        "UPSTREAM_RATE_LIMITED",
        f"The upstream is rate limiting us {AT}.",
        {
            "upstreamCall": "GET /v2/webserv/traders/{login}",
            "upstreamCode": "REQUEST_FREQUENCY_EXCEEDED",
            "retryAfter": 12.5,
        },
    )


def test_a_refused_argument_is_shown_as_is() -> None:
    assert describe(InvalidInput("first must be small.")) == ErrorDescription(
        "BAD_USER_INPUT", "first must be small."
    )


def test_a_vanished_trader_is_not_found() -> None:
    assert describe(TraderGone(30001)) == ErrorDescription(
        "NOT_FOUND", "Trader 30001 no longer exists."
    )


def test_anything_else_is_masked() -> None:
    assert describe(KeyError("secret internals")) == ErrorDescription(
        "INTERNAL_ERROR", "Unexpected error."
    )
