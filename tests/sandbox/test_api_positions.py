"""§3.13 open and §3.14 closed position grids: CSV with a header by default, the column order and
value formats of the reference's example rows, a JSON array on request (§12), the 2-day window
and the close-time filter of §12."""

import csv
import io

import httpx

from tests.sandbox.calls import close_position, forex_symbol, open_position
from tests.sandbox.clock import DAY_MS, HOUR_MS, NOW_MS, At, set_clock, wire_time
from tests.sandbox.matchers import ANY_INT, Matches, OfType, error_body, outcome
from tests.sandbox.traders import create_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, Json, media_type

OPEN_COLUMNS = [
    "login",
    "positionId",
    "openTimestamp",
    "entryPrice",
    "direction",
    "volume",
    "symbol",
    "commission",
    "swap",
    "bookType",
    "stake",
    "spreadBetting",
    "usedMargin",
]
CLOSED_COLUMNS = [
    "login",
    "positionId",
    "dealId",
    "openTimestamp",
    "closeTimestamp",
    "entryPrice",
    "closePrice",
    "direction",
    "volume",
    "symbol",
    "commission",
    "swap",
    "pnl",
    "depositConversionRate",
    "usdConversionRate",
    "bookType",
    "stake",
    "spreadBetting",
]
# Formats of the example rows: plain decimals (money not scaled), `true`/`false`, BOOK_A/BOOK_B.
DECIMAL = Matches(r"-?\d+(\.\d+)?")
INTEGER = Matches(r"\d+")
BOOK = Matches(r"BOOK_[AB]")
BOOLEAN = Matches(r"true|false")
ANYTHING = OfType(object)
CLOSE_MS = NOW_MS + 5 * HOUR_MS


def grid(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header row and the data rows of a CSV grid, each row keyed by the header."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:] if row]


async def open_grid(
    client: httpx.AsyncClient, token: str, headers: dict[str, str] | None = None, **query: str
) -> httpx.Response:
    return await client.get(
        f"{WEBSERV}/openPositions", params={**query, "token": token}, headers=headers
    )


async def closed_grid(
    client: httpx.AsyncClient,
    token: str,
    from_ms: int,
    to_ms: int,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    params = {"from": wire_time(from_ms), "to": wire_time(to_ms), "token": token}
    return await client.get(f"{WEBSERV}/closedPositions", params=params, headers=headers)


async def trader_with_position(client: httpx.AsyncClient, token: str) -> tuple[object, int]:
    """A USD trader with one BUY of 1000 units at 1.18657, opened at NOW_MS."""
    login = (await create_trader(client, token, balance=1_000_000))["login"]
    return login, await open_position(client, login, volume="1000", entry_price="1.18657")


def open_row(login: object, position_id: int, symbol: str) -> dict[str, object]:
    return {
        "login": str(login),
        "positionId": str(position_id),
        "openTimestamp": At(NOW_MS, wire=True),
        "entryPrice": "1.18657",
        "direction": "BUY",
        "volume": "1000.00",
        "symbol": symbol,
        "commission": DECIMAL,
        "swap": DECIMAL,
        "bookType": BOOK,
        "stake": DECIMAL,
        "spreadBetting": BOOLEAN,
        "usedMargin": DECIMAL,
    }


def closed_row(login: object, position_id: int, symbol: str, volume: str) -> dict[str, object]:
    return {
        "login": str(login),
        "positionId": str(position_id),
        "dealId": INTEGER,
        "openTimestamp": At(NOW_MS, wire=True),
        "closeTimestamp": At(CLOSE_MS, wire=True),
        "entryPrice": "1.18657",
        "closePrice": "1.18757",
        "direction": "BUY",
        "volume": volume,
        "symbol": symbol,
        "commission": DECIMAL,
        "swap": DECIMAL,
        "pnl": DECIMAL,
        "depositConversionRate": DECIMAL,
        "usdConversionRate": DECIMAL,
        "bookType": BOOK,
        "stake": DECIMAL,
        "spreadBetting": BOOLEAN,
    }


async def close_at(client: httpx.AsyncClient, position_id: int, volume: str | None = None) -> None:
    await set_clock(client, CLOSE_MS)
    await close_position(client, position_id, close_price="1.18757", volume=volume)


async def test_the_open_grid_is_csv_with_the_documented_header(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await trader_with_position(client, admin_token)
    response = await open_grid(client, admin_token)
    header, _ = grid(response.text)
    assert (response.status_code, media_type(response), header) == (200, "text/csv", OPEN_COLUMNS)


async def test_the_open_grid_row_follows_the_example_row_format(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    _, rows = grid((await open_grid(client, admin_token, login=str(login))).text)
    assert rows == [open_row(login, position_id, await forex_symbol(client))]


async def test_the_open_grid_filters_on_login(client: httpx.AsyncClient, admin_token: str) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    await trader_with_position(client, admin_token)
    _, rows = grid((await open_grid(client, admin_token, login=str(login))).text)
    assert [(row["login"], row["positionId"]) for row in rows] == [(str(login), str(position_id))]


async def test_the_open_grid_without_login_lists_every_visible_position(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first = await trader_with_position(client, admin_token)
    second = await trader_with_position(client, admin_token)
    _, rows = grid((await open_grid(client, admin_token)).text)
    listed = {(row["login"], row["positionId"]) for row in rows}
    assert {(str(login), str(pid)) for login, pid in (first, second)} <= listed


async def test_a_closed_position_leaves_the_open_grid(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    _, rows = grid((await open_grid(client, admin_token, login=str(login))).text)
    assert rows == []


async def test_the_open_grid_answers_json_on_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    response = await open_grid(client, admin_token, ACCEPT_JSON, login=str(login))
    expected: Json = {column: ANYTHING for column in OPEN_COLUMNS}
    expected.update(
        login=login,
        positionId=position_id,
        openTimestamp=At(NOW_MS, wire=True),
        direction="BUY",
        symbol=await forex_symbol(client),
    )
    assert outcome(response) == (200, [expected])


async def test_the_closed_grid_is_csv_with_the_documented_header(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    _, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    response = await closed_grid(client, admin_token, CLOSE_MS - HOUR_MS, CLOSE_MS + HOUR_MS)
    header, _ = grid(response.text)
    assert (response.status_code, media_type(response), header) == (
        200,
        "text/csv",
        CLOSED_COLUMNS,
    )


async def test_the_closed_grid_row_follows_the_example_row_format(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    response = await closed_grid(client, admin_token, CLOSE_MS - HOUR_MS, CLOSE_MS + HOUR_MS)
    symbol = await forex_symbol(client)
    assert grid(response.text)[1] == [closed_row(login, position_id, symbol, "1000.00")]


async def test_the_closed_grid_has_one_row_per_closing_deal(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id, volume="400")
    await close_position(client, position_id, close_price="1.18757")
    response = await closed_grid(client, admin_token, CLOSE_MS - HOUR_MS, CLOSE_MS + HOUR_MS)
    rows = grid(response.text)[1]
    symbol = await forex_symbol(client)
    assert (sorted(rows, key=lambda row: row["volume"]), len({r["dealId"] for r in rows})) == (
        [
            closed_row(login, position_id, symbol, "400.00"),
            closed_row(login, position_id, symbol, "600.00"),
        ],
        2,
    )


async def test_the_closed_grid_filters_on_close_time(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §12: the window applies to the close time; the position opened before the window.
    _, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    response = await closed_grid(client, admin_token, CLOSE_MS - HOUR_MS, CLOSE_MS + HOUR_MS)
    assert [row["positionId"] for row in grid(response.text)[1]] == [str(position_id)]


async def test_the_closed_grid_ignores_a_window_around_the_open_time_only(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    _, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    response = await closed_grid(client, admin_token, NOW_MS, CLOSE_MS)
    assert (response.status_code, grid(response.text)[1]) == (200, [])


async def test_the_closed_grid_accepts_a_window_of_exactly_two_days(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await closed_grid(client, admin_token, NOW_MS, NOW_MS + 2 * DAY_MS)
    assert (response.status_code, grid(response.text)) == (200, (CLOSED_COLUMNS, []))


async def test_a_closed_grid_window_over_two_days_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await closed_grid(
        client, admin_token, NOW_MS, NOW_MS + 2 * DAY_MS + 1, headers=ACCEPT_JSON
    )
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_closed_grid_without_a_window_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.get(
        f"{WEBSERV}/closedPositions", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_the_closed_grid_answers_json_on_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    response = await closed_grid(
        client, admin_token, CLOSE_MS - HOUR_MS, CLOSE_MS + HOUR_MS, headers=ACCEPT_JSON
    )
    expected: Json = {column: ANYTHING for column in CLOSED_COLUMNS}
    expected.update(
        login=login,
        positionId=position_id,
        dealId=ANY_INT,
        openTimestamp=At(NOW_MS, wire=True),
        closeTimestamp=At(CLOSE_MS, wire=True),
        direction="BUY",
        symbol=await forex_symbol(client),
    )
    assert outcome(response) == (200, [expected])


async def test_the_closed_grid_filters_on_login(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login, position_id = await trader_with_position(client, admin_token)
    _, other = await trader_with_position(client, admin_token)
    await close_at(client, position_id)
    await close_position(client, other, close_price="1.18757")
    params = {
        "from": wire_time(CLOSE_MS - HOUR_MS),
        "to": wire_time(CLOSE_MS + HOUR_MS),
        "login": str(login),
        "token": admin_token,
    }
    response = await client.get(f"{WEBSERV}/closedPositions", params=params)
    rows = grid(response.text)[1]
    assert [(row["login"], row["positionId"]) for row in rows] == [(str(login), str(position_id))]
