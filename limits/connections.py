"""The websocket's door: `connection_init` names the caller, and a refusal counts as over HTTP.

A websocket (graphql-transport-ws) names its caller once, with the `Authorization` of
`connection_init`'s payload, read by the same `auth.identify` as the HTTP stage's header
(limits/stage.py). A refused init (no caller where one is needed, a malformed header, an unknown
token) counts as one anonymous query against the client's address, the same counter the stage
counts an HTTP request with an unknown token against, the address read the same way
(limits/clients.py: the peer, or `X-Forwarded-For` from the right past trusted proxies). So
guessing tokens over websockets costs the guesser the budget it costs over HTTP: the socket
closes 4403 `Forbidden` (Strawberry's rejection) while the address is within its rate, and 4429
with the wait in the reason once it is over (`SocketDoor`).
"""

from __future__ import annotations

from typing import Any

from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from auth.callers import Caller
from auth.identify import Unauthenticated
from limits.gate import LOG_IN_FIRST
from limits.rates import Rates
from limits.stage import Identify, anonymous, rate_limit, rate_refusal
from settings import ServiceSettings

RATE_LIMITED_CLOSE = 4429
"""graphql-transport-ws's "too many initialisation requests" (HTTP's 429). The graphql-ws client
gives up on it instead of reconnecting, as it does after 4403 (which a retry may cure)."""


class InitRateLimited(Exception):
    """The address's anonymous rate is spent: the socket closes 4429 with `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def connection_caller(
    identify: Identify,
    rates: Rates,
    settings: ServiceSettings,
    authorization: str | None,
    client: str,
) -> Caller:
    """The caller `connection_init` names; a refusal counted against `client`'s anonymous rate.

    Raises `ConnectionRejectionError` (4403) within the rate and `InitRateLimited` past it.
    """
    try:
        caller = await identify(authorization)
    except Unauthenticated as refused:
        await _count(rates, settings, client)
        raise ConnectionRejectionError({"message": str(refused)}) from refused
    if caller is None:
        await _count(rates, settings, client)
        raise ConnectionRejectionError({"message": LOG_IN_FIRST})
    return caller


async def _count(rates: Rates, settings: ServiceSettings, client: str) -> None:
    limit, window = rate_limit(settings, "query"), settings.rate_window_seconds
    wait = await rates.hit(f"{anonymous(client)}:query", limit, window)
    if wait is not None:
        raise InitRateLimited(rate_refusal(settings, "query", wait).message)


class SocketDoor(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws, closing 4429 when `connection_init` is refused past the rate."""

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except InitRateLimited as limited:
            await self.websocket.close(code=RATE_LIMITED_CLOSE, reason=limited.reason)
