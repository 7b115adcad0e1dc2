"""`WebServicesClient`: one async method per WebServices endpoint (reference §3 and §12).

The methods live in one module per family (`trader_calls`, `account_calls`, `market_calls`,
`attributes`); each describes its `Call` and how to read the answer, and the exchange underneath
adds the token, negotiates JSON/XML/CSV, enforces the deadline, retries reads and maps errors once.
"""

from __future__ import annotations

from upstream.account_calls import AccountCalls
from upstream.attributes import AttributeCalls
from upstream.market_calls import MarketCalls
from upstream.trader_calls import TraderCalls


class WebServicesClient(TraderCalls, AccountCalls, MarketCalls, AttributeCalls):
    """The upstream, typed. Build one per process and share it; `aclose()` it at shutdown."""

    async def authenticate(self) -> None:
        """Obtain a token now (otherwise the first call does it); the token stays inside."""
        await self._tokens.current()
