"""The errors of the emulated API, each carrying its errorCode, HTTP status and description.

    SandboxError                      (status, errorCode, description) -> the §1.8 error body
    ├── InvalidRequest                400 INVALID_REQUEST
    ├── InvalidToken                  401 INVALID_TOKEN
    ├── InvalidCredentials            401 INVALID_CREDENTIALS   (token call, wrong login/hash)
    ├── IpNotAllowed                  403 IP_NOT_ALLOWED
    ├── NotEnoughRights               403 NOT_ENOUGH_RIGHTS
    ├── TraderNotFound                404 TRADER_NOT_FOUND
    ├── UserNotFound                  404 USER_NOT_FOUND
    ├── RequestFrequencyExceeded      429 REQUEST_FREQUENCY_EXCEEDED (+ Retry-After)
    └── BusinessError                 400 with another code (NOT_ENOUGH_MONEY, WRONG_PASSWORD...)

Statuses follow §12 of the reference; handlers raise, one function renders (`wire.error_response`).
"""

from __future__ import annotations


class SandboxError(Exception):
    status = 500
    code = "UNKNOWN_ERROR"

    def __init__(self, description: str, *, code: str | None = None, status: int | None = None):
        super().__init__(description)
        self.description = description
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class InvalidRequest(SandboxError):
    status = 400
    code = "INVALID_REQUEST"


class InvalidToken(SandboxError):
    status = 401
    code = "INVALID_TOKEN"


class InvalidCredentials(SandboxError):
    status = 401
    code = "INVALID_CREDENTIALS"


class IpNotAllowed(SandboxError):
    status = 403
    code = "IP_NOT_ALLOWED"


class NotEnoughRights(SandboxError):
    status = 403
    code = "NOT_ENOUGH_RIGHTS"


class TraderNotFound(SandboxError):
    status = 404
    code = "TRADER_NOT_FOUND"

    def __init__(self, login: int) -> None:
        super().__init__(f"Trader {login} not found")


class UserNotFound(SandboxError):
    status = 404
    code = "USER_NOT_FOUND"

    def __init__(self, user_id: int) -> None:
        super().__init__(f"User {user_id} not found")


class RequestFrequencyExceeded(SandboxError):
    status = 429
    code = "REQUEST_FREQUENCY_EXCEEDED"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("More non-GET requests per hour than allowed")
        self.retry_after_s = retry_after_s


class BusinessError(SandboxError):
    """A 400 with a specific code: NOT_ENOUGH_MONEY, CHANGE_BALANCE_BAD_AMOUNT, WRONG_PASSWORD..."""

    status = 400

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description, code=code)
