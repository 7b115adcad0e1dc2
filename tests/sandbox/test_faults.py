"""Fault injection (`/_sandbox/faults`): each action, `times`, `*`, probability and clearing."""

import time

import httpx
import pytest

from sandbox import SandboxSettings
from sandbox.faults import DroppedResponse
from tests.sandbox.calls import ADMIN, change_balance, serve, token_of
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV

CHANGEBALANCE = f"{WEBSERV}/traders/*/changebalance"


async def inject(client: httpx.AsyncClient, **fault: object) -> None:
    response = await client.post("/_sandbox/faults", json={"method": "POST", **fault})
    assert response.status_code == 200, response.text


async def balance(client: httpx.AsyncClient, token: str, login: object) -> object:
    return (await get_trader(client, token, login))["balance"]


async def test_error_answers_the_error_body_and_applies_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, path=CHANGEBALANCE, action="error", status=503, errorCode="UNKNOWN_ERROR")
    response = await change_balance(client, admin_token, login, "10")
    assert (outcome(response), await balance(client, admin_token, login)) == (
        (503, error_body("UNKNOWN_ERROR")),
        0,
    )


async def test_timeout_answers_504_and_applies_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, path=CHANGEBALANCE, action="timeout", latencyMs=1)
    response = await change_balance(client, admin_token, login, "10")
    assert (response.status_code, await balance(client, admin_token, login)) == (504, 0)


async def test_latency_delays_then_serves(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, path=CHANGEBALANCE, action="latency", latencyMs=60)
    started = time.perf_counter()
    response = await change_balance(client, admin_token, login, "10")
    elapsed = time.perf_counter() - started
    assert (response.status_code, elapsed >= 0.06, await balance(client, admin_token, login)) == (
        200,
        True,
        1000,
    )


async def test_drop_after_commit_applies_then_breaks_the_response(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, path=CHANGEBALANCE, action="drop_after_commit")
    with pytest.raises(DroppedResponse):
        await change_balance(client, admin_token, login, "10")
    assert await balance(client, admin_token, login) == 1000


async def test_times_limits_how_often_a_fault_fires(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, path=CHANGEBALANCE, action="error", times=1)
    first = await change_balance(client, admin_token, login, "1")
    second = await change_balance(client, admin_token, login, "1")
    assert (first.status_code, second.status_code) == (500, 200)


async def test_star_matches_exactly_one_segment(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await inject(client, method="GET", path=f"{WEBSERV}/*", action="error")
    symbols = await client.get(f"{WEBSERV}/symbols", params={"token": admin_token})
    trader = await client.get(f"{WEBSERV}/traders/{login}", params={"token": admin_token})
    assert (symbols.status_code, trader.status_code) == (500, 200)


async def test_delete_clears_every_fault(client: httpx.AsyncClient, admin_token: str) -> None:
    await inject(client, method="GET", path=f"{WEBSERV}/symbols", action="error")
    assert (await client.delete("/_sandbox/faults")).status_code == 204
    response = await client.get(
        f"{WEBSERV}/symbols", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert response.status_code == 200


async def test_control_endpoints_are_never_faulted(client: httpx.AsyncClient) -> None:
    await inject(client, method="GET", path="/_sandbox/stats", action="error")
    assert (await client.get("/_sandbox/stats")).status_code == 200


async def test_an_unknown_action_is_invalid_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/_sandbox/faults", json={"path": "/x", "action": "explode"})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def firing_pattern(db_url: str) -> list[int]:
    async with serve(SandboxSettings(db_url=db_url, fault_seed=3)) as client:
        token = await token_of(client, *ADMIN)
        await inject(
            client, method="GET", path=f"{WEBSERV}/symbols", action="error", probability=0.5
        )
        responses = [
            await client.get(f"{WEBSERV}/symbols", params={"token": token}) for _ in range(20)
        ]
        return [r.status_code for r in responses]


async def test_probability_is_reproducible_from_the_fault_seed(db_url: str) -> None:
    first, second = await firing_pattern(db_url), await firing_pattern(db_url)
    assert (first == second, set(first)) == (True, {200, 500})
