"""Callers in production: anonymous requests get a 401 except for `login`; a session acts with
the manager's own upstream rights until `logout`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from schema.node import global_id
from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire, refused, wire_on

LOGIN = "mutation ($m: Int!, $p: String!) { login(managerLogin: $m, password: $p) {"
LOGIN += " __typename ... on Session { token } ... on InvalidCredentials { message } } }"
LOG_IN_FIRST = "Log in first: send 'Authorization: Bearer <token>' (the login mutation gives one)."
UNKNOWN = "The bearer token is unknown, revoked or expired; log in again."


@pytest.fixture
async def door(sandbox: Starlette, upstream: Upstream, tmp_path: Path) -> AsyncIterator[Wire]:
    """The service in production with no default caller: every request must name one."""
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        await upstream.reset_calls()
        yield wire


async def log_in(door: Wire, login: int, password: str) -> Wire:
    answer = await door.post(LOGIN, m=login, p=password)
    assert isinstance(answer.body, dict), answer
    token = answer.body["data"]["login"]["token"]
    assert isinstance(token, str)
    return door.as_bearer(token)


async def test_an_anonymous_query_is_refused_with_401(door: Wire, upstream: Upstream) -> None:
    answer = await door.post("{ traders(first: 5) { edges { node { login } } } }")

    assert answer == Answer(401, refused("UNAUTHENTICATED", LOG_IN_FIRST))
    assert await upstream.calls() == {}


async def test_the_explorer_page_loads_without_a_caller(door: Wire) -> None:
    response = await door.http.get("/graphql", headers={"Accept": "text/html"})

    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "text/html; charset=utf-8",
    )


async def test_wrong_credentials_are_invalid_credentials(door: Wire) -> None:
    answer = await door.post(LOGIN, m=1002, p="not-the-password")

    message = "Invalid manager login or password."
    login = {"__typename": "InvalidCredentials", "message": message}
    assert answer == Answer(200, {"data": {"login": login}})


async def test_an_unknown_bearer_token_is_refused_with_401(door: Wire, upstream: Upstream) -> None:
    answer = await door.as_bearer("tgs_made-up").post("{ __typename }")

    assert answer == Answer(401, refused("UNAUTHENTICATED", UNKNOWN))
    assert await upstream.calls() == {}


async def test_a_session_reads_with_its_managers_rights(door: Wire, upstream: Upstream) -> None:
    visible = await upstream.create_trader(broker="atlas-markets", group="Retail USD")
    await upstream.create_trader(broker="sandbox", group="Retail USD")
    desk = await log_in(door, 1002, "sandbox-desk")

    answer = await desk.post("{ traders(first: 500) { edges { node { login } } } }")

    assert answer == Answer(200, {"data": {"traders": {"edges": [{"node": {"login": visible}}]}}})


async def test_a_session_cannot_look_up_a_trader_outside_its_rights(
    door: Wire, upstream: Upstream
) -> None:
    hidden = await upstream.create_trader(broker="sandbox", group="Retail USD")
    desk = await log_in(door, 1002, "sandbox-desk")

    answer = await desk.post(f"{{ trader(login: {hidden}) {{ login name }} }}")

    call = "GET /v2/webserv/traders/{login}"
    error = {
        "message": f"The manager may not see this ({call}).",
        "locations": [{"line": 1, "column": 3}],
        "path": ["trader"],
        "extensions": {
            "code": "FORBIDDEN",
            "upstreamCall": call,
            "upstreamCode": "NOT_ENOUGH_RIGHTS",
            "requestId": "security-test",
        },
    }
    assert answer == Answer(200, {"data": {"trader": None}, "errors": [error]})


async def test_logout_revokes_the_session(door: Wire) -> None:
    desk = await log_in(door, 1002, "sandbox-desk")

    assert await desk.post("mutation { logout }") == Answer(200, {"data": {"logout": True}})
    assert await desk.post("{ __typename }") == Answer(401, refused("UNAUTHENTICATED", UNKNOWN))


async def test_a_session_sees_no_white_label_traders_outside_its_rights(
    door: Wire, upstream: Upstream
) -> None:
    await upstream.create_trader(broker="sandbox", group="Retail USD")
    desk = await log_in(door, 1002, "sandbox-desk")
    query = '{ whiteLabel(name: "sandbox") { traders(first: 500) { edges { node { login } } } } }'

    answer = await desk.post(query)

    assert answer == Answer(200, {"data": {"whiteLabel": {"traders": {"edges": []}}}})


async def test_a_read_only_manager_moves_no_money(door: Wire, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    partner_desk = await log_in(door, 1003, "sandbox-partner")
    move = f'{{login: {login}, amount: "10", idempotencyKey: "read-only-1"}}'

    answer = await partner_desk.post(
        f"mutation {{ deposit(input: {move}) {{ __typename ... on MoneyError {{ message }} }} }}"
    )

    trader = await upstream.get(f"/v2/webserv/traders/{login}")
    assert isinstance(trader, dict)
    refused = {"__typename": "NotEnoughRights", "message": "This manager is read-only"}
    assert (answer, trader["balance"]) == (Answer(200, {"data": {"deposit": refused}}), 0)


async def test_a_session_cannot_reach_a_trader_outside_its_rights_by_node_id(
    door: Wire, upstream: Upstream
) -> None:
    hidden = await upstream.create_trader(broker="sandbox", group="Retail USD")
    desk = await log_in(door, 1002, "sandbox-desk")

    answer = await desk.post(f'{{ node(id: "{global_id("Trader", hidden)}") {{ id }} }}')

    call = "GET /v2/webserv/traders/{login}"
    error = {
        "message": f"The manager may not see this ({call}).",
        "locations": [{"line": 1, "column": 3}],
        "path": ["node"],
        "extensions": {
            "code": "FORBIDDEN",
            "upstreamCall": call,
            "upstreamCode": "NOT_ENOUGH_RIGHTS",
            "requestId": "security-test",
        },
    }
    assert answer == Answer(200, {"data": {"node": None}, "errors": [error]})
