"""Attack: logins that name no account (0, negative) in every argument and input that takes one,
so that the service calls the upstream for nothing. Defence: each is refused with a typed error
before any upstream call (counted by the sandbox): the mutations' `InvalidInput` member, a
`BAD_USER_INPUT` error for queries and subscriptions, `InvalidCredentials` for `login`."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from starlette.applications import Starlette

from server import create_app
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream, service_settings
from tests.security.test_amounts import rows
from tests.security.wire import REQUEST_ID, Answer, Wire
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

MONEY = "__typename ... on MoneyError { message movement { id } }"
MOVES = ("deposit", "withdraw", "depositBonus", "withdrawBonus", "depositCredit", "withdrawCredit")
LIFECYCLE = [
    ("updateTrader", '{login: -1, name: "Ada"}'),
    ("attributeToPartners", '{login: -1, introducingBroker1: "ib"}'),
    ("moveTraderToWhiteLabel", '{login: -1, whiteLabel: "sandbox"}'),
    ("changeTraderPassword", '{login: -1, password: "secret-1"}'),
    ("checkTraderPassword", '{login: -1, password: "secret-1"}'),
    ("setAttributes", '{login: -1, attributes: [{name: "a", value: "b"}]}'),
    ("removeAttributes", '{login: -1, names: ["a"]}'),
    ("deleteTrader", "{login: -1}"),
    ("linkTrader", '{login: -1, userId: 7, password: "secret-1"}'),
]


def invalid_input(message: str) -> dict[str, object]:
    return {"__typename": "InvalidInput", "message": message, "movement": None}


@pytest.mark.parametrize("name", MOVES)
async def test_a_money_movement_on_a_negative_login_calls_nothing(
    wire: Wire, upstream: Upstream, tmp_path: Path, name: str
) -> None:
    given = '{login: -1, amount: "10", idempotencyKey: "attack"}'

    answer = await wire.post(f"mutation {{ {name}(input: {given}) {{ {MONEY} }} }}")

    expected = invalid_input("login must be positive, got -1")
    assert answer == Answer(200, {"data": {name: expected}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


@pytest.mark.parametrize(
    ("logins", "message"),
    [
        ("fromLogin: 0, toLogin: 5", "fromLogin must be positive, got 0"),
        ("fromLogin: 5, toLogin: -7", "toLogin must be positive, got -7"),
    ],
)
async def test_a_transfer_between_logins_that_are_not_positive_calls_nothing(
    wire: Wire, upstream: Upstream, tmp_path: Path, logins: str, message: str
) -> None:
    given = f'{{{logins}, amount: "10", idempotencyKey: "attack"}}'

    answer = await wire.post(f"mutation {{ transferFunds(input: {given}) {{ {MONEY} }} }}")

    assert answer == Answer(200, {"data": {"transferFunds": invalid_input(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


@pytest.mark.parametrize(("name", "given"), LIFECYCLE)
async def test_a_lifecycle_change_on_a_negative_login_calls_nothing(
    wire: Wire, upstream: Upstream, name: str, given: str
) -> None:
    fields = "__typename ... on InvalidInput { message fields { path message } }"

    answer = await wire.post(f"mutation {{ {name}(input: {given}) {{ {fields} }} }}")

    assert isinstance(answer.body, dict)
    result = answer.body["data"][name]
    assert result["fields"][0] == {"path": ["login"], "message": "must be positive"}
    assert (answer.status, result["__typename"]) == (200, "InvalidInput")
    assert result["message"].startswith("invalid input: login: must be positive")
    assert await upstream.calls() == {}


async def test_a_trader_with_a_negative_login_calls_nothing(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.post("{ trader(login: -1) { login } }")

    error = {
        "message": "login must be positive, got -1.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["trader"],
        "extensions": {"code": "BAD_USER_INPUT", "requestId": REQUEST_ID},
    }
    assert answer == Answer(200, {"data": {"trader": None}, "errors": [error]})
    assert await upstream.calls() == {}


@pytest.mark.parametrize("key", ["0", "-5", "²", "1" * 11])
async def test_a_node_id_of_no_login_calls_nothing(
    wire: Wire, upstream: Upstream, key: str
) -> None:
    node_id = base64.b64encode(f"Trader:{key}".encode()).decode()

    answer = await wire.post(f'{{ node(id: "{node_id}") {{ id }} }}')

    error = {
        "message": f"Invalid node id key {key!r}.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["node"],
        "extensions": {"code": "BAD_USER_INPUT", "requestId": REQUEST_ID},
    }
    assert answer == Answer(200, {"data": {"node": None}, "errors": [error]})
    assert await upstream.calls() == {}


async def test_a_login_as_a_negative_manager_asks_no_token(wire: Wire, upstream: Upstream) -> None:
    member = "... on InvalidCredentials { message }"
    query = f'mutation {{ login(managerLogin: -1, password: "x") {{ {member} }} }}'

    answer = await wire.post(query)

    message = "managerLogin must be positive, got -1."
    assert answer == Answer(200, {"data": {"login": {"message": message}}})
    assert await upstream.calls() == {}


@pytest.mark.parametrize(
    ("subscription", "message", "field"),
    [
        (
            "accountChanged(logins: [5, -1]) { login }",
            "logins must be positive, got -1.",
            "accountChanged",
        ),
        (
            "positionsChanged(login: 0) { opened { symbol } }",
            "login must be positive, got 0.",
            "positionsChanged",
        ),
    ],
)
async def test_a_subscription_to_no_login_calls_nothing(
    sandbox: Starlette,
    upstream: Upstream,
    tmp_path: Path,
    subscription: str,
    message: str,
    field: str,
) -> None:
    settings = service_settings(tmp_path)
    app = create_app(settings, upstream_transport=SandboxTransport(sandbox))
    async with started(app) as served, live_client(served) as client:
        await upstream.reset_calls()
        await client.subscribe("1", f"subscription {{ {subscription} }}")
        refused = await client.receive()

    payload = refused.pop("payload")
    assert isinstance(payload, list)
    [error] = payload
    assert isinstance(error["extensions"].pop("requestId"), str)
    assert (refused, error) == (
        {"id": "1", "type": "error"},
        {
            "message": message,
            "locations": [{"line": 1, "column": 16}],
            "path": [field],
            "extensions": {"code": "BAD_USER_INPUT"},
        },
    )
    assert await upstream.calls() == {}
