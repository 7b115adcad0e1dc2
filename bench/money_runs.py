"""The pieces of the money benchmark: the three ways of making one deposit, and the accounts.

Each way is a zero-argument coroutine function, as `bench.graph_measure.interleaved` takes them;
each call deposits `AMOUNT` into the next account (round robin) under a key never used before, so
no deposit of any round is a replay of another.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal

import httpx
from pydantic import SecretStr

from bench.graph_processes import MANAGER_LOGIN, MANAGER_PASSWORD
from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder
from store.journal import MovementKind
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.enums import AccessRights, AccountType, BalanceChangeType
from upstream.inputs import BalanceChangeRequest, NewTrader

AMOUNT = Decimal("1.25")
DEPOSIT = """mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) { __typename ... on MoneyMovement { state historyId } }
}"""
LOGIN = """mutation ($manager: Int!, $password: String!) {
  login(managerLogin: $manager, password: $password) { __typename ... on Session { token } }
}"""

Deposit = Callable[[], Awaitable[object]]


def admin_client(url: str) -> WebServicesClient:
    return WebServicesClient(ClientConfig(url, MANAGER_LOGIN, SecretStr(MANAGER_PASSWORD)))


async def open_accounts(client: WebServicesClient, count: int) -> list[int]:
    new = NewTrader(
        access_rights=AccessRights.FULL_ACCESS,
        account_type=AccountType.HEDGED,
        broker_name="sandbox",
        deposit_currency="USD",
        group_name="Retail USD",
        password=SecretStr("bench-secret"),
        leverage=Decimal(100),
    )
    return [(await client.create_trader(new)).login for _ in range(count)]


class Numbers:
    """Fresh idempotency keys and the next account, shared by every path of one run."""

    def __init__(self, logins: list[int]) -> None:
        self._run = uuid.uuid4().hex[:12]  # a journal kept at --database outlives the run
        self._keys = itertools.count()
        self._logins = itertools.cycle(logins)

    def next(self, path: str) -> tuple[str, int]:
        return f"{path}-{self._run}-{next(self._keys)}", next(self._logins)


def direct(client: WebServicesClient, numbers: Numbers) -> Deposit:
    """`changebalance` straight to the sandbox: the upstream's own speed, no journal."""

    async def deposit() -> object:
        key, login = numbers.next("direct")
        change = BalanceChangeRequest(BalanceChangeType.DEPOSIT, AMOUNT, external_id=key)
        return await client.change_balance(login, change)

    return deposit


def journaled(desk: MoneyDesk, numbers: Numbers) -> Deposit:
    """The exactly-once engine in this process: journal row, one upstream call, outcome stored."""

    async def deposit() -> object:
        key, login = numbers.next("journal")
        order = MoneyOrder(MovementKind.DEPOSIT, login, AMOUNT, key)
        return await desk.movements.move("bench", order)

    return deposit


async def log_in(http: httpx.AsyncClient) -> str:
    """A session of the sandbox's manager (`login`), as a back-office frontend opens one."""
    variables = {"manager": MANAGER_LOGIN, "password": MANAGER_PASSWORD}
    answer = await http.post("/graphql", json={"query": LOGIN, "variables": variables})
    session = ((answer.json().get("data") or {}).get("login")) or {}
    if session.get("__typename") != "Session":
        raise RuntimeError(f"login failed: {answer.status_code} {answer.text}")
    token: str = session["token"]
    return token


def through_facade(http: httpx.AsyncClient, numbers: Numbers) -> Deposit:
    """The `deposit` mutation POSTed to the service process, as a frontend sends it."""

    async def deposit() -> object:
        key, login = numbers.next("facade")
        variables = {"input": {"login": login, "amount": str(AMOUNT), "idempotencyKey": key}}
        answer = await http.post("/graphql", json={"query": DEPOSIT, "variables": variables})
        body = answer.json()
        moved = (body.get("data") or {}).get("deposit") or {}
        if answer.status_code != 200 or moved.get("state") != "SUCCEEDED":
            raise RuntimeError(f"deposit failed: {answer.status_code} {body}")
        return body

    return deposit
