"""The seeded history: closed positions over the last N days (`historyDays`, default 120), read the
way a client reads them, through the closed-positions grid (§3.14) two days at a time.

What is right comes from the reference and docs/sandbox.md: deals close on weekdays inside the
window and after their trader registered; `pnl` is in the deposit asset with its moneyDigits and
follows from the row's own prices and rates; `commission` and `swap` are USD with 2 decimals,
commission a charge (never positive), swap 0 on swap-free accounts; `usdConversionRate` converts
the base asset to USD and `depositConversionRate` to the deposit asset.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal

import httpx

from sandbox import SandboxSettings
from tests.sandbox.calls import ADMIN, serve, token_of
from tests.sandbox.test_seed import ANCHOR_MS, all_traders
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV

DAY_MS = 86_400_000
Row = dict[str, str]
# docs/sandbox.md: today's USD value of one unit of each asset.
USD_VALUE = {
    "USD": Decimal(1),
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "JPY": Decimal("0.0067"),
    "AUD": Decimal("0.66"),
    "XAU": Decimal(2350),
    "BTC": Decimal(60000),
}
DIGITS = {"EURUSD": 5, "GBPUSD": 5, "USDJPY": 3, "AUDUSD": 5, "EURGBP": 5, "XAUUSD": 2}
DIGITS["BTCUSD"] = 2
MONEY = ("pnl", "swap", "commission")


def seeded(db_url: str, seed: int, traders: int, days: int) -> SandboxSettings:
    return SandboxSettings(
        db_url=db_url, seed=seed, traders=traders, seed_anchor_ms=ANCHOR_MS, history_days=days
    )


def stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000")


def ms_of(text: str) -> int:
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


async def deals(client: httpx.AsyncClient, days: int) -> list[Row]:
    """Every closing deal from `days` + 4 days before the anchor to 2 days after it."""
    token = await token_of(client, *ADMIN)
    rows: list[Row] = []
    for start in range(ANCHOR_MS - (days + 4) * DAY_MS, ANCHOR_MS + 2 * DAY_MS, 2 * DAY_MS):
        params = {"from": stamp(start), "to": stamp(start + 2 * DAY_MS), "token": token}
        response = await client.get(f"{WEBSERV}/closedPositions", params=params)
        assert response.status_code == 200, response.text
        rows.extend(csv.DictReader(io.StringIO(response.text)))
    return rows


async def history(settings: SandboxSettings, days: int) -> tuple[dict[int, Row], list[Row]]:
    """The seeded traders by login (as strings) and their deals."""
    async with serve(settings, set_time=False) as client:
        fields = "login,depositCurrency,moneyDigits,swapFree,registrationTimestamp"
        traders = {int(str(t["login"])): t for t in await all_traders(client, fields)}
        return {k: {n: str(v) for n, v in t.items()} for k, t in traders.items()}, await deals(
            client, days
        )


def without_ids(rows: list[Row]) -> list[Row]:
    return [{k: v for k, v in r.items() if k not in ("dealId", "positionId")} for r in rows]


async def test_deals_close_on_weekdays_of_the_last_n_days_after_registration(db_url: str) -> None:
    traders, rows = await history(seeded(db_url, 3, 80, 30), 30)
    closes = [(ms_of(r["closeTimestamp"]), traders[int(r["login"])]) for r in rows]
    misplaced = Counter(
        "before the window" if at < ANCHOR_MS - 30 * DAY_MS
        else "after the anchor" if at >= ANCHOR_MS
        else "on a weekend" if (at // DAY_MS + 3) % 7 >= 5
        else "before registration" if at < int(trader["registrationTimestamp"])
        else "in place"
        for at, trader in closes
    )  # fmt: skip
    assert (set(misplaced), misplaced["in place"] > 500) == ({"in place"}, True)


async def test_the_same_seed_gives_the_same_history_and_another_seed_another(db_url: str) -> None:
    first = await history(seeded(db_url, 4, 30, 12), 12)
    again = await history(seeded(db_url, 4, 30, 12), 12)
    other = await history(seeded(db_url, 5, 30, 12), 12)
    assert (first == again, first[1] == other[1], len(first[1]) > 50) == (True, False, True)


async def test_a_shorter_history_is_the_end_of_a_longer_one(db_url: str) -> None:
    """Drawn backwards from the anchor: only ids, and positions opened before the shorter window
    (whose partial closes may fall elsewhere), differ."""
    start = stamp(ANCHOR_MS - 10 * DAY_MS)
    _, short = await history(seeded(db_url, 6, 40, 10), 10)
    _, long = await history(seeded(db_url, 6, 40, 30), 30)
    recent = [r for r in long if r["closeTimestamp"] >= start and r["openTimestamp"] >= start]
    opened_inside = [r for r in short if r["openTimestamp"] >= start]
    assert (without_ids(opened_inside), len(recent) > 50) == (without_ids(recent), True)


def _scaled(value: str) -> int:
    exponent = Decimal(value).as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


def near(value: Decimal, today: Decimal) -> bool:
    """Within half of today's value either way: four months of the market's moves at most."""
    return abs(value / today - 1) < Decimal("0.5")


def exact_rates(row: Row, currency: str) -> bool:
    """The rates the row fixes by itself: base USD, quote USD, base = deposit, deposit USD."""
    base, quote, close = row["symbol"][:3], row["symbol"][3:], Decimal(row["closePrice"])
    usd, deposit = Decimal(row["usdConversionRate"]), Decimal(row["depositConversionRate"])
    known_usd = {"USD": Decimal(1)}.get(base, close if quote == "USD" else None)
    known_deposit = Decimal(1) if base == currency else usd if currency == "USD" else None
    return known_usd in (None, usd) and known_deposit in (None, deposit)


def problems(row: Row, trader: Row) -> list[str]:
    """What in one deal breaks the rules of the module docstring."""
    symbol, currency = row["symbol"], trader["depositCurrency"]
    base, quote = symbol[:3], symbol[3:]
    volume, entry, close = (Decimal(row[k]) for k in ("volume", "entryPrice", "closePrice"))
    usd, deposit = Decimal(row["usdConversionRate"]), Decimal(row["depositConversionRate"])
    sign = 1 if row["direction"] == "BUY" else -1
    digits = int(trader["moneyDigits"])
    pnl = ((close - entry) * volume * sign * deposit / close).quantize(
        Decimal(1).scaleb(-digits), ROUND_HALF_EVEN
    )
    commission, swap = Decimal(row["commission"]), Decimal(row["swap"])
    largest_commission = volume * usd * 100 / 1_000_000 + Decimal("0.005")
    checks = {
        "pnl from the row": Decimal(row["pnl"]) == pnl and _scaled(row["pnl"]) == digits,
        "commission a charge": -largest_commission <= commission <= 0,
        "cents": _scaled(row["commission"]) == _scaled(row["swap"]) == _scaled(row["volume"]) == 2,
        "price digits": _scaled(row["closePrice"]) == _scaled(row["entryPrice"]) == DIGITS[symbol],
        "swap-free": swap == 0 or trader["swapFree"] == "False",
        "exact rates": exact_rates(row, currency),
        "base in USD near today's": near(usd, USD_VALUE[base]),
        "deposit asset in USD near today's": near(usd / deposit, USD_VALUE[currency]),
        "prices near today's": near(close, USD_VALUE[base] / USD_VALUE[quote]),
        "opened before closed": row["openTimestamp"] <= row["closeTimestamp"],
        "no negative zero": not any(row[k].startswith("-") and not Decimal(row[k]) for k in MONEY),
        "positive volume": volume > 0,
    }  # fmt: skip
    return [name for name, ok in checks.items() if not ok]


async def test_every_deal_is_consistent_with_its_row_and_its_account(db_url: str) -> None:
    traders, rows = await history(seeded(db_url, 7, 120, 40), 40)
    found = Counter(p for row in rows for p in problems(row, traders[int(row["login"])]))
    currencies = {traders[int(r["login"])]["depositCurrency"] for r in rows}
    assert (found, currencies, len(rows) > 1000) == (
        Counter(),
        set(USD_VALUE) - {"XAU", "AUD"},
        True,
    )


async def test_the_history_looks_like_a_brokers(db_url: str) -> None:
    traders, rows = await history(seeded(db_url, 8, 150, 120), 120)
    per_trader = Counter(int(r["login"]) for r in rows)
    per_position = Counter(r["positionId"] for r in rows)
    weeks = 120 / 7
    shape = {
        "traders without a deal": round((len(traders) - len(per_trader)) / len(traders), 1),
        "traders with one a weekday or more": 0 < sum(n > 85 for n in per_trader.values()) < 40,
        "median deals a week of the others": 1
        <= sorted(per_trader.values())[len(per_trader) // 2] / weeks
        <= 10,
        "positions closed in two deals": 0.03
        < list(per_position.values()).count(2) / len(per_position)
        < 0.2,
        "symbols": {r["symbol"] for r in rows},
        "buys": 0.45 < sum(r["direction"] == "BUY" for r in rows) / len(rows) < 0.65,
        "books": {r["bookType"] for r in rows},
        "some swap and commission": all(
            any(Decimal(r[k]) != 0 for r in rows) for k in ("swap", "commission")
        ),
    }
    assert shape == {
        "traders without a deal": 0.4,
        "traders with one a weekday or more": True,
        "median deals a week of the others": True,
        "positions closed in two deals": True,
        "symbols": set(DIGITS),
        "buys": True,
        "books": {"BOOK_A", "BOOK_B"},
        "some swap and commission": True,
    }


async def test_the_control_api_seeds_the_history_it_is_asked_for(db_url: str) -> None:
    async with serve(SandboxSettings(db_url=db_url), set_time=False) as client:
        body = {"seed": 5, "traders": 40, "anchorMs": ANCHOR_MS}
        default = (await client.post("/_sandbox/seed", json=body)).json()
        none = (await client.post("/_sandbox/seed", json={**body, "historyDays": 0})).json()
        refused = await client.post("/_sandbox/seed", json={**body, "historyDays": -1})
    assert (default, none, refused.status_code, refused.json()) == (
        {"traders": 40, "users": 22, "links": 38, "positions": 1731, "closedDeals": 1864},
        {"traders": 40, "users": 22, "links": 38, "positions": 15, "closedDeals": 0},
        400,
        {
            "error": {
                "errorCode": "INVALID_REQUEST",
                "description": "'historyDays' must not be negative",
            }
        },
    )


async def test_the_grid_of_a_login_holds_only_its_deals(db_url: str) -> None:
    async with serve(seeded(db_url, 9, 60, 20), set_time=False) as client:
        everyone = await deals(client, 20)
        login = Counter(r["login"] for r in everyone).most_common(1)[0][0]
        token = await token_of(client, *ADMIN)
        mine: list[Row] = []
        for start in range(ANCHOR_MS - 24 * DAY_MS, ANCHOR_MS + 2 * DAY_MS, 2 * DAY_MS):
            params = {"from": stamp(start), "to": stamp(start + 2 * DAY_MS), "login": login}
            response = await client.get(
                f"{WEBSERV}/closedPositions", params={**params, "token": token}, headers=ACCEPT_JSON
            )
            mine.extend({k: str(v) for k, v in r.items()} for r in response.json())
    assert [r["dealId"] for r in mine] == [r["dealId"] for r in everyone if r["login"] == login]
