"""Start-up recovery runs where the service runs it: in the lifespan of the app itself, over
the service's database and upstream client, in the background (docs/money.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from structlog.testing import capture_logs

from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder, TransferOrder
from resolvers.money.transfers import Transfers
from server import Resources, create_app
from store.db import create_tables, make_engine
from store.journal import MovementKind
from store.money_transfers import unfinished
from tests.money.sandbox_kit import Sandbox, client_config
from tests.resolvers.harness import service_settings
from tests.support.lifespan import running
from tests.support.sandbox import BASE_URL, SandboxTransport
from upstream.client import WebServicesClient


class Crash(Exception):
    pass


def crash_after_withdraw(point: str) -> None:
    if point == "after-withdraw":
        raise Crash(point)


@asynccontextmanager
async def books_of(sandbox: Starlette) -> AsyncIterator[Sandbox]:
    async with (
        WebServicesClient(client_config(5.0), transport=SandboxTransport(sandbox)) as client,
        httpx.AsyncClient(transport=SandboxTransport(sandbox), base_url=BASE_URL) as control,
    ):
        yield Sandbox(client, control)


@pytest.fixture
async def journal(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """The database the service below will open: a previous process's journal."""
    engine = make_engine(service_settings(tmp_path).database_url)
    await create_tables(engine)
    yield engine
    await engine.dispose()


async def test_the_lifespan_finishes_a_transfer_a_crash_left_halfway(
    sandbox: Starlette, journal: AsyncEngine, tmp_path: Path
) -> None:
    async with books_of(sandbox) as books:
        a, b = await books.open_account(), await books.open_account()
        desk = MoneyDesk.for_client(journal, books.client)
        await desk.movements.move("1001", MoneyOrder(MovementKind.DEPOSIT, a, Decimal(100), "f"))
        crashing = Transfers(desk.movements, crash_after_withdraw)
        with pytest.raises(Crash):
            await crashing.transfer("1001", TransferOrder(a, b, Decimal(30), "t"))
        halfway = [(await books.money(login))[0] for login in (a, b)]

        app = create_app(service_settings(tmp_path), upstream_transport=SandboxTransport(sandbox))
        with capture_logs() as logs:
            async with running(app) as service:
                resources: Resources = service.state["resources"]
                await resources.recovery
                left = await unfinished(journal)
        after = [(await books.money(login))[0] for login in (a, b)]

    told = [line for line in logs if line["event"] == "money recovery"]
    assert (halfway, left, after, told) == (
        [Decimal(70), Decimal(0)],
        [],
        [Decimal(70), Decimal(30)],
        [{"event": "money recovery", "unknown": (), "resumed": (1,), "log_level": "info"}],
    )
