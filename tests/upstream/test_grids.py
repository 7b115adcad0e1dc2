"""The CSV grids (3.13, 3.14): exact decimals, the header checked, bad cells refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from tests.upstream.fake import FakeUpstream
from tests.upstream.samples import CLOSED_HEADER, CLOSED_ROW, OPEN_HEADER, OPEN_ROW
from upstream.client import WebServicesClient
from upstream.enums import BookType, Direction
from upstream.errors import MalformedResponse
from upstream.records import ClosedDeal, OpenPosition

OPEN_PATH = "/v2/webserv/openPositions"
CLOSED_PATH = "/v2/webserv/closedPositions"
FROM = datetime(2020, 1, 1, tzinfo=UTC)
TO = datetime(2020, 1, 3, tzinfo=UTC)


def csv(*lines: str) -> httpx.Response:
    return httpx.Response(
        200, text="\r\n".join(lines) + "\r\n", headers={"content-type": "text/csv"}
    )


async def test_an_open_position_row_parses_exactly(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW))

    assert await client.open_positions(9013206) == (
        OpenPosition(
            login=9013206,
            position_id=4325443,
            open_timestamp=datetime(2020, 8, 28, 5, 35, 37, 682000, tzinfo=UTC),
            entry_price=Decimal("1.18657"),
            direction=Direction.BUY,
            volume=Decimal("1000.00"),
            symbol="EURUSD",
            commission=Decimal("1.69"),
            swap=Decimal("2.54"),
            book_type=BookType.BOOK_B,
            stake=Decimal("0.00"),
            spread_betting=False,
            used_margin=Decimal("0.01"),
        ),
    )


async def test_the_grid_is_asked_for_as_csv(fake: FakeUpstream, client: WebServicesClient) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER))

    await client.open_positions()

    assert (fake.requests[-1].headers["accept"], set(fake.queries(OPEN_PATH)[0])) == (
        "text/csv",
        {"token"},
    )


async def test_a_closing_deal_row_parses_exactly(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", CLOSED_PATH, csv(CLOSED_HEADER, CLOSED_ROW))

    assert await client.closed_positions(FROM, TO) == (
        ClosedDeal(
            login=9013197,
            position_id=13313,
            deal_id=5690189,
            open_timestamp=datetime(2018, 8, 30, 12, 15, 29, 154000, tzinfo=UTC),
            close_timestamp=datetime(2020, 1, 2, 9, 1, 54, 748000, tzinfo=UTC),
            entry_price=Decimal("1.32315"),
            close_price=Decimal("1.32214"),
            direction=Direction.BUY,
            volume=Decimal("1000.00"),
            symbol="GBPUSD",
            commission=Decimal("0.00"),
            swap=Decimal("25.83"),
            pnl=Decimal("44.79"),
            deposit_conversion_rate=Decimal("0.96911"),
            usd_conversion_rate=Decimal("1.32214"),
            book_type=BookType.BOOK_B,
            stake=Decimal("0.00"),
            spread_betting=False,
        ),
    )


async def test_an_empty_stake_is_none(fake: FakeUpstream, client: WebServicesClient) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW.replace("BOOK_B,0.00,", "BOOK_B,,")))

    assert [p.stake for p in await client.open_positions()] == [None]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (
            (OPEN_HEADER.replace("entryPrice,direction", "direction,entryPrice"), OPEN_ROW),
            "the grid's header is not the expected columns",
        ),
        ((), "the grid's header is not the expected columns"),
        ((OPEN_HEADER, OPEN_ROW + ",extra"), "grid line 2 has 14 cells, not 13"),
        ((OPEN_HEADER, OPEN_ROW.replace("1.18657", "1,18657")), "grid line 2 has 14 cells, not 13"),
        ((OPEN_HEADER, OPEN_ROW.replace("1.18657", "1.1x")), "'entryPrice' is not a number"),
        ((OPEN_HEADER, OPEN_ROW.replace("1.18657", "NaN")), "'entryPrice' is not a finite number"),
        ((OPEN_HEADER, OPEN_ROW.replace("BUY", "HOLD")), "'direction' has an unknown value 'HOLD'"),
        (
            (OPEN_HEADER, OPEN_ROW.replace(".682", "")),
            "'openTimestamp' is not a yyyy-MM-ddTHH:mm:ss.SSS time",
        ),
        ((OPEN_HEADER, OPEN_ROW.replace("false", "no")), "'spreadBetting' is not a boolean"),
    ],
)
async def test_a_grid_that_does_not_fit_is_malformed(
    fake: FakeUpstream, client: WebServicesClient, lines: tuple[str, ...], reason: str
) -> None:
    fake.on("GET", OPEN_PATH, csv(*lines))

    with pytest.raises(MalformedResponse) as caught:
        await client.open_positions()

    assert str(caught.value) == f"malformed answer: {reason} (GET /v2/webserv/openPositions)"
