"""The money mutations and queries as a client sees them (over an in-memory upstream)."""

import base64
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.failures import Failure, Refused, Unknown
from resolvers.money.orders import Account
from tests.money.graph import MOVEMENT_FIELDS, execute
from tests.money.ledger import Ledger

USD = Account(login=5001, currency="USD", money_digits=2)
B = Account(login=5002, currency="USD", money_digits=2)


def gid(type_name: str, key: int) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def mutation(name: str) -> str:
    return f"""
    mutation ($input: MoneyMovementInput!) {{ {name}(input: $input) {{ {MOVEMENT_FIELDS} }} }}
    """


def money_input(amount: str = "25.50", key: str = "k-1", login: int = 5001) -> dict[str, object]:
    return {"login": login, "amount": amount, "idempotencyKey": key}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("deposit", "DEPOSIT"),
        ("depositBonus", "DEPOSIT_BONUS"),
        ("depositCredit", "DEPOSIT_CREDIT"),
    ],
)
async def test_a_deposit_returns_the_movement(engine: AsyncEngine, name: str, kind: str) -> None:
    desk = MoneyDesk.over(engine, Ledger(USD))
    data = await execute(desk, mutation(name), input=money_input())
    assert data == {
        name: {
            "__typename": "MoneyMovement",
            "id": gid("MoneyMovement", 1),
            "kind": kind,
            "state": "SUCCEEDED",
            "amount": {"amount": "25.5", "currency": "USD"},
            "login": 5001,
            "historyId": 1,
            "idempotencyKey": "k-1",
        }
    }


@pytest.mark.parametrize(
    ("refusal", "typename"),
    [
        (Refused(Failure.INSUFFICIENT_FUNDS, "not enough money"), "InsufficientFunds"),
        (Refused(Failure.INVALID_AMOUNT, "bad amount"), "InvalidAmount"),
        (Refused(Failure.TRADER_NOT_FOUND, "no trader"), "TraderNotFound"),
        (Refused(Failure.NOT_ENOUGH_RIGHTS, "no rights"), "NotEnoughRights"),
        (Refused(Failure.RATE_LIMITED, "slow down"), "RateLimited"),
        (Refused(Failure.UPSTREAM_UNAVAILABLE, "503"), "UpstreamUnavailable"),
    ],
)
async def test_an_upstream_refusal_is_its_union_member(
    engine: AsyncEngine, refusal: Refused, typename: str
) -> None:
    ledger = Ledger(USD)
    ledger.script.append(refusal)
    data = await execute(MoneyDesk.over(engine, ledger), mutation("withdraw"), input=money_input())
    assert (data, ledger.balances) == (
        {
            "withdraw": {
                "__typename": typename,
                "message": refusal.message,
                "movement": {
                    "id": gid("MoneyMovement", 1),
                    "state": "FAILED",
                    "error": {"code": refusal.failure.value, "message": refusal.message},
                },
            }
        },
        {5001: Decimal(0)},
    )


@pytest.mark.parametrize(
    ("variables", "typename", "message"),
    [
        (money_input("0"), "InvalidAmount", "amount must be positive, got 0"),
        (
            money_input("1.001"),
            "InvalidAmount",
            "amount 1.001 has more than 2 decimals allowed for USD",
        ),
        (
            {**money_input(), "currency": "EUR"},
            "CurrencyMismatch",
            "account 5001 is in USD, the amount in EUR; give a rate to convert",
        ),
        (
            money_input(key=""),
            "InvalidInput",
            "idempotencyKey must be 1 to 128 characters, without outer spaces",
        ),
        (money_input(login=9999), "TraderNotFound", "trader 9999 not found"),
    ],
)
async def test_a_refused_request_is_not_journaled_and_moves_nothing(
    engine: AsyncEngine, variables: dict[str, object], typename: str, message: str
) -> None:
    ledger = Ledger(USD)
    data = await execute(MoneyDesk.over(engine, ledger), mutation("deposit"), input=variables)
    expected = {"__typename": typename, "message": message, "movement": None}
    assert (data, ledger.calls) == ({"deposit": expected}, [])


async def test_a_reused_key_is_refused(engine: AsyncEngine) -> None:
    desk = MoneyDesk.over(engine, Ledger(USD))
    await execute(desk, mutation("deposit"), input=money_input())
    data = await execute(desk, mutation("deposit"), input=money_input("3"))
    assert data == {
        "deposit": {
            "__typename": "IdempotencyKeyReused",
            "message": "idempotencyKey 'k-1' was used for a different request",
            "movement": {"id": gid("MoneyMovement", 1), "state": "SUCCEEDED", "error": None},
        }
    }


async def test_a_lost_answer_is_outcome_unknown_with_its_movement(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.append(Unknown("no answer after sending"))
    data = await execute(MoneyDesk.over(engine, ledger), mutation("deposit"), input=money_input())
    movement_id = gid("MoneyMovement", 1)
    assert data == {
        "deposit": {
            "__typename": "OutcomeUnknown",
            "message": f"the upstream's answer to movement {movement_id} was lost; "
            "it stays OUTCOME_UNKNOWN until an operator resolves it",
            "movement": {
                "id": movement_id,
                "state": "OUTCOME_UNKNOWN",
                "historyId": None,
                "error": {"code": "OUTCOME_UNKNOWN", "message": "no answer after sending"},
            },
        }
    }


RESOLVE = """
mutation ($input: ResolveMoneyMovementInput!) {
  resolveMoneyMovement(input: $input) {
    __typename
    ... on MoneyMovement { id state historyId resolvedBy }
    ... on MovementNotFound { message }
    ... on MovementNotUnknown { message movement { state } }
  }
}
"""


async def test_an_operator_resolves_an_unknown_movement(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.append(Unknown("lost"))
    desk = MoneyDesk.over(engine, ledger)
    await execute(desk, mutation("deposit"), input=money_input())
    movement_id = gid("MoneyMovement", 1)
    resolution = {"id": movement_id, "outcome": "SUCCEEDED", "historyId": 41}
    data = await execute(desk, RESOLVE, input=resolution)
    assert data == {
        "resolveMoneyMovement": {
            "__typename": "MoneyMovement",
            "id": movement_id,
            "state": "SUCCEEDED",
            "historyId": 41,
            "resolvedBy": "1001",
        }
    }


async def test_resolving_an_unknown_id_is_movement_not_found(engine: AsyncEngine) -> None:
    desk = MoneyDesk.over(engine, Ledger(USD))
    data = await execute(desk, RESOLVE, input={"id": "garbage", "outcome": "FAILED"})
    assert data == {
        "resolveMoneyMovement": {
            "__typename": "MovementNotFound",
            "message": "no money movement with id -1",
        }
    }


TRANSFER = """
mutation ($input: TransferFundsInput!) {
  transferFunds(input: $input) {
    __typename
    ... on Transfer {
      id state amount { amount currency } steps { kind login state historyId error }
    }
    ... on MoneyError { message }
  }
}
"""


async def test_a_transfer_returns_its_steps_and_is_queryable(engine: AsyncEngine) -> None:
    ledger = Ledger(USD, B)
    desk = MoneyDesk.over(engine, ledger)
    await execute(desk, mutation("deposit"), input=money_input("100"))
    order = {"fromLogin": 5001, "toLogin": 5002, "amount": "40", "idempotencyKey": "t"}
    data = await execute(desk, TRANSFER, input=order)
    transfer = {
        "__typename": "Transfer",
        "id": gid("Transfer", 1),
        "state": "COMPLETED",
        "amount": {"amount": "40", "currency": "USD"},
        "steps": [
            {
                "kind": "WITHDRAW",
                "login": 5001,
                "state": "SUCCEEDED",
                "historyId": 2,
                "error": None,
            },
            {"kind": "DEPOSIT", "login": 5002, "state": "SUCCEEDED", "historyId": 3, "error": None},
        ],
    }
    query = "query ($id: ID!) { transfer(id: $id) { state steps { kind } } }"
    again = await execute(desk, query, id=gid("Transfer", 1))
    assert (data, again) == (
        {"transferFunds": transfer},
        {"transfer": {"state": "COMPLETED", "steps": [{"kind": "WITHDRAW"}, {"kind": "DEPOSIT"}]}},
    )


AUDIT = """
query ($filter: MoneyMovementFilter, $first: Int!, $after: String) {
  moneyMovements(filter: $filter, first: $first, after: $after) {
    edges { cursor node { idempotencyKey state caller } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


async def test_the_audit_pages_through_every_movement(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.extend(["apply", Refused(Failure.RATE_LIMITED, "x")])
    desk = MoneyDesk.over(engine, ledger)
    for key in ("a", "b", "c"):
        await execute(desk, mutation("deposit"), input=money_input(key=key))
    first = await execute(desk, AUDIT, first=2)
    cursor = gid("MoneyMovement", 2)
    rest = await execute(desk, AUDIT, first=2, after=cursor)
    assert (first, rest) == (
        {
            "moneyMovements": {
                "edges": [
                    {
                        "cursor": gid("MoneyMovement", 1),
                        "node": {"idempotencyKey": "a", "state": "SUCCEEDED", "caller": "1001"},
                    },
                    {
                        "cursor": cursor,
                        "node": {"idempotencyKey": "b", "state": "FAILED", "caller": "1001"},
                    },
                ],
                "pageInfo": {"hasNextPage": True, "hasPreviousPage": False, "endCursor": cursor},
            }
        },
        {
            "moneyMovements": {
                "edges": [
                    {
                        "cursor": gid("MoneyMovement", 3),
                        "node": {"idempotencyKey": "c", "state": "SUCCEEDED", "caller": "1001"},
                    }
                ],
                "pageInfo": {
                    "hasNextPage": False,
                    "hasPreviousPage": True,
                    "endCursor": gid("MoneyMovement", 3),
                },
            }
        },
    )


async def test_the_audit_filters_by_state(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.extend(["apply", Unknown("lost")])
    desk = MoneyDesk.over(engine, ledger)
    for key in ("a", "b"):
        await execute(desk, mutation("deposit"), input=money_input(key=key))
    data = await execute(desk, AUDIT, first=10, filter={"state": "OUTCOME_UNKNOWN"})
    edges = data["moneyMovements"]["edges"]  # type: ignore[index]
    assert edges == [
        {
            "cursor": gid("MoneyMovement", 2),
            "node": {"idempotencyKey": "b", "state": "OUTCOME_UNKNOWN", "caller": "1001"},
        }
    ]


async def test_a_transfer_without_funds_is_insufficient_funds(engine: AsyncEngine) -> None:
    ledger = Ledger(USD, B)
    order = {"fromLogin": 5001, "toLogin": 5002, "amount": "40", "idempotencyKey": "t"}
    data = await execute(MoneyDesk.over(engine, ledger), TRANSFER, input=order)
    assert (data, ledger.balances) == (
        {"transferFunds": {"__typename": "InsufficientFunds", "message": "not enough money"}},
        {5001: Decimal(0), 5002: Decimal(0)},
    )


async def test_a_transfer_into_another_currency_needs_a_rate(engine: AsyncEngine) -> None:
    ledger = Ledger(USD, Account(login=5003, currency="EUR", money_digits=2))
    order = {"fromLogin": 5001, "toLogin": 5003, "amount": "40", "idempotencyKey": "t"}
    data = await execute(MoneyDesk.over(engine, ledger), TRANSFER, input=order)
    message = "account 5003 is in EUR, the amount in USD; give a rate to convert"
    assert (data, ledger.calls) == (
        {"transferFunds": {"__typename": "CurrencyMismatch", "message": message}},
        [],
    )
