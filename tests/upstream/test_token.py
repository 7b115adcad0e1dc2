"""The manager token (3.0): fetched lazily, once, and refreshed once when refused."""

from __future__ import annotations

import asyncio

import pytest

from tests.upstream.fake import TOKEN, FakeUpstream, error_answer, json_answer
from tests.upstream.samples import TRADER_JSON
from upstream.client import WebServicesClient
from upstream.errors import InvalidToken

TRADER_PATH = "/v2/webserv/traders/9013206"
TOKEN_PATH = "/v2/webserv/managers/token"
REFUSED = error_answer(401, "INVALID_TOKEN", "The token is not valid")


async def test_no_token_is_fetched_before_the_first_call(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    assert fake.calls() == []


async def test_one_token_serves_concurrent_calls(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    logins = (9013206, 9013207, 9013208)  # different reads: identical ones would be shared
    for login in logins:
        fake.on("GET", f"/v2/webserv/traders/{login}", json_answer(200, TRADER_JSON))

    await asyncio.gather(*(client.get_trader(login) for login in logins))

    assert fake.calls() == [f"POST {TOKEN_PATH}"] + [
        f"GET /v2/webserv/traders/{login}" for login in logins
    ]


async def test_a_refused_token_is_replaced_and_the_call_repeated_once(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", TRADER_PATH, REFUSED, json_answer(200, TRADER_JSON))
    fake.on(
        "POST",
        TOKEN_PATH,
        json_answer(200, {"webservToken": "old"}),
        json_answer(200, {"webservToken": TOKEN}),
    )

    await client.get_trader(9013206)

    assert [q["token"] for q in fake.queries(TRADER_PATH)] == ["old", TOKEN]


async def test_a_token_refused_twice_raises_invalid_token(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", TRADER_PATH, REFUSED)

    with pytest.raises(InvalidToken) as caught:
        await client.get_trader(9013206)

    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        401,
        "INVALID_TOKEN",
        "401 INVALID_TOKEN: The token is not valid (GET /v2/webserv/traders/{login})",
    )


async def test_a_refused_write_is_repeated_with_the_new_token(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("DELETE", TRADER_PATH, REFUSED, json_answer(204, None))

    await client.delete_trader(9013206)

    assert fake.calls() == [
        f"POST {TOKEN_PATH}",
        f"DELETE {TRADER_PATH}",
        f"POST {TOKEN_PATH}",
        f"DELETE {TRADER_PATH}",
    ]


async def test_authenticate_fetches_the_token_up_front(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    await client.authenticate()

    assert fake.calls() == [f"POST {TOKEN_PATH}"]
