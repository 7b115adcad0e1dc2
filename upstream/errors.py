"""The upstream client's error tree, and the one function that maps a failed answer onto it.

    UpstreamError                   every failure of a WebServices call
    ├── UpstreamUnavailable         the upstream could not answer: retrying later may help
    │   ├── TransportFailure        connection refused/reset, protocol error
    │   ├── UpstreamTimeout         no answer within the read timeout or the call's deadline
    │   ├── ServerError             5xx (status, errorCode when the body had one)
    │   ├── CircuitOpen             the breaker refuses calls to an upstream that keeps failing
    │   ├── MalformedResponse       a body that does not parse into the expected records
    │   ├── OutcomeUnknown          a write was sent and its answer lost: it may have applied
    │   └── UnreadableWriteAnswer   both: a write answered 2xx with a body that does not parse
    └── UpstreamRejected            the upstream answered with an error (code, description, status)
        ├── InvalidRequest          INVALID_REQUEST
        ├── InvalidToken            INVALID_TOKEN (401; refreshed once by the client first)
        ├── IpNotAllowed            IP_NOT_ALLOWED
        ├── NotEnoughRights         NOT_ENOUGH_RIGHTS
        ├── TraderNotFound          TRADER_NOT_FOUND
        ├── UserNotFound            USER_NOT_FOUND
        ├── GroupNotFound           TRADER_GROUP_NOT_FOUND
        ├── BrokerNotFound          CH_BROKER_NOT_FOUND, CH_PLANT_INVALID
        ├── NotEnoughMoney          NOT_ENOUGH_MONEY
        ├── BadAmount               CHANGE_BALANCE_BAD_AMOUNT
        ├── WrongPassword           WRONG_PASSWORD
        ├── AlreadyLinked           TRADER_ALREADY_LINKED
        ├── EmailAlreadyExists      CH_EMAIL_ALREADY_EXISTS
        └── RateLimited             REQUEST_FREQUENCY_EXCEEDED (429, `retry_after` seconds)

Every exception carries the HTTP method and the path *template* of the call
(`GET /v2/webserv/traders/{login}`), never the URL: the URL holds `?token=`.
"""

from __future__ import annotations


class UpstreamError(Exception):
    """Base of the tree; `str()` is the message followed by the call it concerns."""

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path

    @property
    def call(self) -> str:
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        return f"{self.message} ({self.call})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, call={self.call!r})"


class UpstreamUnavailable(UpstreamError):
    """The upstream gave no usable answer; nothing says the request was refused."""


class TransportFailure(UpstreamUnavailable):
    pass


class UpstreamTimeout(UpstreamUnavailable):
    pass


class ServerError(UpstreamUnavailable):
    """`retry_after` is the upstream's Retry-After in seconds (a 503 may send one)."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int,
        code: str,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.status = status
        self.code = code
        self.retry_after = retry_after


class CircuitOpen(UpstreamUnavailable):
    pass


class MalformedResponse(UpstreamUnavailable):
    pass


class OutcomeUnknown(UpstreamUnavailable):
    """Only for writes: retrying could apply the change twice, so the caller must reconcile."""


class UnreadableWriteAnswer(OutcomeUnknown, MalformedResponse):
    """A write said yes in a body we cannot read: applied, but its result (an id) is lost."""


class UpstreamRejected(UpstreamError):
    """An error answer: the upstream applied nothing and said why."""

    def __init__(self, code: str, description: str, *, status: int, method: str, path: str) -> None:
        super().__init__(f"{status} {code}: {description}", method=method, path=path)
        self.code = code
        self.description = description
        self.status = status


class InvalidRequest(UpstreamRejected):
    pass


class InvalidToken(UpstreamRejected):
    pass


class IpNotAllowed(UpstreamRejected):
    pass


class NotEnoughRights(UpstreamRejected):
    pass


class TraderNotFound(UpstreamRejected):
    pass


class UserNotFound(UpstreamRejected):
    pass


class GroupNotFound(UpstreamRejected):
    pass


class BrokerNotFound(UpstreamRejected):
    pass


class NotEnoughMoney(UpstreamRejected):
    pass


class BadAmount(UpstreamRejected):
    pass


class WrongPassword(UpstreamRejected):
    pass


class AlreadyLinked(UpstreamRejected):
    pass


class EmailAlreadyExists(UpstreamRejected):
    pass


class RateLimited(UpstreamRejected):
    """`retry_after` is the upstream's Retry-After in seconds, when it sent one."""

    def __init__(
        self,
        code: str,
        description: str,
        *,
        status: int,
        method: str,
        path: str,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, description, status=status, method=method, path=path)
        self.retry_after = retry_after


_BY_CODE: dict[str, type[UpstreamRejected]] = {
    "INVALID_REQUEST": InvalidRequest,
    "INVALID_TOKEN": InvalidToken,
    "IP_NOT_ALLOWED": IpNotAllowed,
    "NOT_ENOUGH_RIGHTS": NotEnoughRights,
    "TRADER_NOT_FOUND": TraderNotFound,
    "USER_NOT_FOUND": UserNotFound,
    "TRADER_GROUP_NOT_FOUND": GroupNotFound,
    "CH_BROKER_NOT_FOUND": BrokerNotFound,
    "CH_PLANT_INVALID": BrokerNotFound,
    "NOT_ENOUGH_MONEY": NotEnoughMoney,
    "CHANGE_BALANCE_BAD_AMOUNT": BadAmount,
    "WRONG_PASSWORD": WrongPassword,
    "TRADER_ALREADY_LINKED": AlreadyLinked,
    "CH_EMAIL_ALREADY_EXISTS": EmailAlreadyExists,
}


def error_for(
    status: int,
    code: str,
    description: str,
    *,
    method: str,
    path: str,
    retry_after: float | None = None,
) -> UpstreamError:
    """The one translation of a non-success answer into the tree: 5xx first, then the code."""
    if status >= 500:
        message = f"{status} {code}: {description}" if code else f"upstream answered {status}"
        return ServerError(
            message, method=method, path=path, status=status, code=code, retry_after=retry_after
        )
    if status == 429 or code == "REQUEST_FREQUENCY_EXCEEDED":
        return RateLimited(
            code or "REQUEST_FREQUENCY_EXCEEDED",
            description,
            status=status,
            method=method,
            path=path,
            retry_after=retry_after,
        )
    kind = InvalidToken if status == 401 else _BY_CODE.get(code, UpstreamRejected)
    return kind(code, description, status=status, method=method, path=path)
