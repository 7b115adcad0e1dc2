"""A second service process for the two-process specification: the same money path, on its own.

    python -m tests.money.deposit_worker UPSTREAM DATABASE CALLER KEY LOGIN AMOUNT COUNT

Logs go to stderr, answers to stdout. It warms up (token, account facts), prints `ready`, waits
for a line on stdin, then sends COUNT identical deposits at once and prints the journal id and
state each one got, as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
from decimal import Decimal

import structlog
from pydantic import SecretStr

from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder
from store.db import make_engine
from store.journal import JournalEntry, MovementKind
from upstream.client import WebServicesClient
from upstream.config import ClientConfig


async def run(upstream: str, database: str, caller: str, order: MoneyOrder, count: int) -> None:
    engine = make_engine(database)
    config = ClientConfig(upstream, 1001, SecretStr("sandbox-admin"))
    async with WebServicesClient(config) as client:
        desk = MoneyDesk.for_client(engine, client)
        await desk.movements.account(order.login)
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        moves = [desk.movements.move(caller, order) for _ in range(count)]
        results = await asyncio.gather(*moves)
    await engine.dispose()
    seen = [
        [r.id, r.state.value] if isinstance(r, JournalEntry) else [None, str(r)] for r in results
    ]
    sys.stdout.write(json.dumps(seen) + "\n")


def main(argv: list[str]) -> None:
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    upstream, database, caller, key, login, amount, count = argv
    order = MoneyOrder(MovementKind.DEPOSIT, int(login), Decimal(amount), key)
    asyncio.run(run(upstream, database, caller, order, int(count)))


if __name__ == "__main__":
    main(sys.argv[1:])
