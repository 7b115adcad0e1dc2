"""How long the upstream pool keeps an idle connection: a setting, below servers' own timeouts.

A connection the upstream has already decided to close must not carry a money write (it would
become OUTCOME_UNKNOWN for nothing), so the client drops idle connections first: 4 s by default,
under the 5 s of uvicorn, Apache and Node, and `TRADERGRAPH_UPSTREAM_KEEPALIVE_SECONDS` sets it.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from settings import ServiceSettings
from upstream.client import WebServicesClient
from upstream.config import PoolLimits


async def pool_expiry(settings: ServiceSettings) -> object:
    """The keep-alive expiry of the connection pool the service's client sends through."""
    async with WebServicesClient(settings.upstream_config()) as client:
        return client._http._transport._pool.keep.expiry  # type: ignore[attr-defined]


async def test_the_pool_drops_idle_connections_after_4_seconds_by_default() -> None:
    assert await pool_expiry(ServiceSettings()) == 4.0


async def test_the_setting_reaches_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADERGRAPH_UPSTREAM_KEEPALIVE_SECONDS", "1.5")
    settings = ServiceSettings()

    assert settings.upstream_config().pool == PoolLimits(keepalive_expiry=1.5)
    assert await pool_expiry(settings) == 1.5


def test_a_keepalive_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        ServiceSettings(upstream_keepalive_seconds=0)
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [
        (("upstream_keepalive_seconds",), "greater_than")
    ]


def test_the_clients_own_default_is_the_services() -> None:
    """Clients built without the service's settings (the tests' sandbox clients) keep the same
    conservative expiry."""
    assert PoolLimits().keepalive_expiry == ServiceSettings().upstream_keepalive_seconds
