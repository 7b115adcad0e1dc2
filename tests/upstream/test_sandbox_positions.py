"""Grids from the sandbox: open and closed positions parse to exact decimals, over any window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.upstream.scene import NOW_MS, Scene, new_trader
from upstream.client import WebServicesClient
from upstream.enums import BookType, Direction
from upstream.records import OpenPosition
from upstream.times import from_epoch_ms, parse_grid_time

DAY_MS = 86_400_000


async def test_an_open_position_reads_back_exactly(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    position_id = await scene.open_position(login, volume="1000.00", price="1.18657")

    positions = await upstream_client.open_positions(login)

    assert [
        (p.login, p.position_id, p.open_timestamp, p.entry_price, p.direction, p.volume, p.symbol)
        for p in positions
    ] == [
        (
            login,
            position_id,
            from_epoch_ms(NOW_MS),
            Decimal("1.18657"),
            Direction.BUY,
            Decimal("1000.00"),
            "EURUSD",
        ),
    ]


async def test_the_csv_grid_parses_to_what_the_json_grid_says(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    await scene.open_position(login, volume="1000.00", price="1.18657")

    rows = await scene.json_grid("openPositions", {"login": str(login)})

    assert await upstream_client.open_positions(login) == tuple(
        OpenPosition(
            login=int(str(row["login"])),
            position_id=int(str(row["positionId"])),
            open_timestamp=parse_grid_time(str(row["openTimestamp"])),
            entry_price=Decimal(str(row["entryPrice"])),
            direction=Direction(str(row["direction"])),
            volume=Decimal(str(row["volume"])),
            symbol=str(row["symbol"]),
            commission=Decimal(str(row["commission"])),
            swap=Decimal(str(row["swap"])),
            book_type=BookType(str(row["bookType"])),
            stake=None if row["stake"] is None else Decimal(str(row["stake"])),
            spread_betting=bool(row["spreadBetting"]),
            used_margin=Decimal(str(row["usedMargin"])),
        )
        for row in rows
    )


async def test_deals_closed_over_six_days_come_back_from_a_week_s_windows(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    position_id = await scene.open_position(login, volume="3000.00", price="1.10000")
    closes: list[dict[str, object]] = []
    for _ in range(3):
        await scene.advance(2 * DAY_MS - 1)
        closes.append(await scene.close_position(position_id, volume="1000.00", price="1.10500"))
    start = from_epoch_ms(NOW_MS)

    deals = await upstream_client.closed_positions_window(start, start + timedelta(days=7), login)

    assert [(d.deal_id, d.position_id, d.volume, d.close_price, d.pnl) for d in deals] == [
        (c["dealId"], position_id, Decimal("1000.00"), Decimal("1.10500"), Decimal(str(c["pnl"])))
        for c in closes
    ]
