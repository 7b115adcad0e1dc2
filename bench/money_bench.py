"""Deposit throughput and p50 latency: the facade's money path versus direct `changebalance`.

    python -m bench.money_bench [--operations 1000] [--concurrency 16] [--database URL]

One run, one sandbox (its own process, real HTTP on loopback), side by side:

    direct     `WebServicesClient.change_balance`, no journal: the upstream's own speed
    journal    the exactly-once engine: journal row first, one upstream call, outcome stored
    graphql    the `deposit` mutation executed by Strawberry over the same engine

Each facade deposit pays a journal insert and an update (SQLite in WAL mode by default, or the
database at --database). The target is at least half of direct throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import strawberry
import structlog

from bench.money_runs import (
    Measured,
    Operation,
    admin_client,
    measure,
    open_accounts,
    sandbox_process,
)
from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder
from schema.money import MoneyMutation, MoneyQuery
from schema.scalars import SCALAR_OVERRIDES
from store.db import create_tables, make_engine
from store.journal import MovementKind
from upstream.client import WebServicesClient
from upstream.enums import BalanceChangeType
from upstream.inputs import BalanceChangeRequest

AMOUNT = Decimal("1.25")
DEPOSIT = """mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) { __typename ... on MoneyMovement { historyId } }
}"""


@dataclass(frozen=True)
class BenchContext:
    money: MoneyDesk
    caller: str = "bench"


def direct(client: WebServicesClient) -> Operation:
    async def deposit(number: int, login: int) -> object:
        change = BalanceChangeRequest(BalanceChangeType.DEPOSIT, AMOUNT, external_id=f"d-{number}")
        return await client.change_balance(login, change)

    return deposit


def journaled(desk: MoneyDesk) -> Operation:
    async def deposit(number: int, login: int) -> object:
        order = MoneyOrder(MovementKind.DEPOSIT, login, AMOUNT, f"j-{number}")
        return await desk.movements.move("bench", order)

    return deposit


def through_graphql(desk: MoneyDesk) -> Operation:
    schema = strawberry.Schema(
        query=MoneyQuery, mutation=MoneyMutation, scalar_overrides=SCALAR_OVERRIDES
    )
    context = BenchContext(desk)

    async def deposit(number: int, login: int) -> object:
        deposit_input = {"login": login, "amount": str(AMOUNT), "idempotencyKey": f"g-{number}"}
        variables = {"input": deposit_input}
        result = await schema.execute(DEPOSIT, variable_values=variables, context_value=context)
        if result.errors or result.data is None:
            raise RuntimeError(result.errors)
        return result.data

    return deposit


def report(runs: list[Measured]) -> str:
    base = runs[0].throughput
    header = ("path", "ops", "failed", "ops/s", "p50 ms", "p99 ms", "vs direct")
    lines = ["{:<10}{:>7}{:>8}{:>10}{:>9}{:>9}{:>11}".format(*header)]
    for run in runs:
        lines.append(
            f"{run.name:<10}{run.operations:>7}{run.failures:>8}{run.throughput:>10.0f}"
            f"{run.p50_ms:>9.2f}{run.p99_ms:>9.2f}{run.throughput / base:>11.2f}"
        )
    return "\n".join(lines)


async def run(operations: int, concurrency: int, database: str | None) -> list[Measured]:
    with tempfile.TemporaryDirectory() as folder:
        url = database or f"sqlite+aiosqlite:///{Path(folder) / 'journal.db'}"
        engine = make_engine(url)
        await create_tables(engine)
        async with sandbox_process() as upstream, admin_client(upstream) as client:
            logins = await open_accounts(client, concurrency)
            desk = MoneyDesk.for_client(engine, client)
            for login in logins:
                await desk.movements.account(login)
            paths = [
                ("direct", direct(client)),
                ("journal", journaled(desk)),
                ("graphql", through_graphql(desk)),
            ]
            runs = []
            for name, operation in paths:
                await measure(name, operation, logins, concurrency * 4, concurrency)
                runs.append(await measure(name, operation, logins, operations, concurrency))
        await engine.dispose()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.money_bench", description=__doc__)
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", default=None, help="journal URL (default: SQLite file)")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    runs = asyncio.run(run(args.operations, args.concurrency, args.database))
    print(report(runs))
    ratio = runs[1].throughput / runs[0].throughput
    print(f"\njournal/direct throughput: {ratio:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
