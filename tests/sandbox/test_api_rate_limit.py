"""§1.5 and §12 rate limit: non-GET calls per manager per rolling hour; over the threshold a call is
refused with 429 REQUEST_FREQUENCY_EXCEEDED and a Retry-After header, and changes nothing; GETs
are never limited. The token call is how a manager identifies itself, not a counted call (the
reference is silent; that is this suite's reading), and the sandbox's own clock is the hour's."""

from collections.abc import AsyncIterator

import httpx
import pytest

from sandbox import SandboxSettings
from tests.sandbox.calls import ADMIN, change_balance, create_manager, serve, token_of
from tests.sandbox.clock import HOUR_MS, NOW_MS, set_clock
from tests.sandbox.matchers import ANY_TEXT, error_body, outcome
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, xml_value

LIMIT = 3


@pytest.fixture
async def limited(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(SandboxSettings(db_url=db_url, rate_limit_per_hour=LIMIT)) as client:
        yield client


async def exhausted(client: httpx.AsyncClient) -> tuple[str, object]:
    """A fresh manager that has made its LIMIT deposits this hour, and the trader it paid into
    (created by the admin, whose own budget is separate)."""
    login = (await create_trader(client, await token_of(client, *ADMIN)))["login"]
    token = await create_manager(client, 2001, "busy-secret")
    for _ in range(LIMIT):
        response = await change_balance(client, token, login, "1.00")
        assert response.status_code == 200, response.text
    return token, login


async def test_a_call_over_the_hourly_threshold_is_request_frequency_exceeded(
    limited: httpx.AsyncClient,
) -> None:
    token, login = await exhausted(limited)
    response = await change_balance(limited, token, login, "1.00")
    assert outcome(response) == (429, error_body("REQUEST_FREQUENCY_EXCEEDED"))


async def test_the_refusal_says_when_to_retry(limited: httpx.AsyncClient) -> None:
    token, login = await exhausted(limited)
    response = await change_balance(limited, token, login, "1.00")
    retry_after = response.headers.get("Retry-After", "")
    assert (retry_after.isdigit(), 0 < int(retry_after or 0) <= 3600) == (True, True)


async def test_a_refused_call_changes_nothing(limited: httpx.AsyncClient) -> None:
    token, login = await exhausted(limited)
    await change_balance(limited, token, login, "1.00")
    entity = await get_trader(limited, await token_of(limited, *ADMIN), login)
    assert entity["balance"] == LIMIT * 100


async def test_get_calls_are_not_limited(limited: httpx.AsyncClient) -> None:
    token, login = await exhausted(limited)
    response = await limited.get(
        f"{WEBSERV}/traders/{login}", params={"token": token}, headers=ACCEPT_JSON
    )
    assert response.status_code == 200


async def test_the_limit_is_per_manager(limited: httpx.AsyncClient) -> None:
    _, login = await exhausted(limited)
    other = await create_manager(limited, 2002, "idle-secret")
    response = await change_balance(limited, other, login, "1.00")
    assert response.status_code == 200


async def test_the_limit_frees_up_after_an_hour(limited: httpx.AsyncClient) -> None:
    token, login = await exhausted(limited)
    await set_clock(limited, NOW_MS + HOUR_MS + 1)
    response = await change_balance(limited, token, login, "1.00")
    assert response.status_code == 200


async def test_the_refusal_is_xml_by_default(limited: httpx.AsyncClient) -> None:
    token, login = await exhausted(limited)
    response = await limited.post(
        f"{WEBSERV}/traders/{login}/changebalance",
        params={"token": token},
        json={"login": login, "preciseAmount": 1, "type": "DEPOSIT"},
    )
    assert (response.status_code, xml_value(response.text)) == (
        429,
        ("error", {"errorCode": "REQUEST_FREQUENCY_EXCEEDED", "description": ANY_TEXT}),
    )
