"""The deterministic seed: same seed, same data; the shape the issue asks for."""

import csv
import io
from collections import Counter

import httpx

from sandbox import SandboxSettings
from tests.sandbox.calls import ADMIN, serve, token_of
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV

ANCHOR_MS = 1_772_409_600_000  # 2026-03-02T00:00:00.000 UTC
WINDOW = {"from": "2000-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}


def seeded(db_url: str, seed: int, traders: int) -> SandboxSettings:
    return SandboxSettings(db_url=db_url, seed=seed, traders=traders, seed_anchor_ms=ANCHOR_MS)


async def all_traders(
    client: httpx.AsyncClient, fields: str | None = None
) -> list[dict[str, object]]:
    token = await token_of(client, *ADMIN)
    params = {**WINDOW, "token": token} | ({"fields": fields} if fields else {})
    response = await client.get(f"{WEBSERV}/traders/", params=params, headers=ACCEPT_JSON)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["trader"]
    return items


async def snapshot(settings: SandboxSettings) -> tuple[str, list[dict[str, object]]]:
    async with serve(settings, set_time=False) as client:
        users = (await client.get("/_sandbox/users.csv")).text
        return users, await all_traders(client)


async def test_the_same_seed_gives_identical_data(db_url: str) -> None:
    first = await snapshot(seeded(db_url, 42, 150))
    second = await snapshot(seeded(db_url, 42, 150))
    assert (first == second, len(first[1])) == (True, 150)


async def test_another_seed_gives_other_data(db_url: str) -> None:
    first = await snapshot(seeded(db_url, 1, 50))
    second = await snapshot(seeded(db_url, 2, 50))
    assert first[1] != second[1]


async def test_seed_through_the_control_api_adds_to_existing_data(db_url: str) -> None:
    async with serve(SandboxSettings(db_url=db_url), set_time=False) as client:
        body = {"seed": 5, "traders": 40, "anchorMs": ANCHOR_MS}
        first = (await client.post("/_sandbox/seed", json=body)).json()
        await client.post("/_sandbox/seed", json=body)
        logins = [t["login"] for t in await all_traders(client, "login")]
    assert (first["traders"], len(logins), len(set(logins))) == (40, 80, 80)


async def test_seeded_data_has_the_documented_shape(db_url: str) -> None:
    async with serve(seeded(db_url, 9, 400), set_time=False) as client:
        traders = await all_traders(client)
        users = list(csv.DictReader(io.StringIO((await client.get("/_sandbox/users.csv")).text)))
    currencies = {t["depositCurrency"] for t in traders}
    brokers = {t["brokerName"] for t in traders}
    partners = [t for t in traders if "introducingBroker1" in t["contactDetails"]]  # type: ignore[operator]
    per_user = Counter(u["userId"] for u in users)
    copy = [t for t in traders if t["subAccountOf"] is not None]
    shape = {
        "currencies": currencies >= {"USD", "EUR", "BTC"},
        "brokers": brokers,
        "partners ~30%": 0.2 < len(partners) / len(traders) < 0.4,
        "1-3 traders per user": set(per_user.values()) <= {1, 2, 3},
        "sub-accounts": len(copy) > 0,
        "open positions": any(t["usedMargin"] for t in traders),
    }
    assert shape == {
        "currencies": True,
        "brokers": {"sandbox", "atlas-markets", "borealis-fx"},
        "partners ~30%": True,
        "1-3 traders per user": True,
        "sub-accounts": True,
        "open positions": True,
    }


async def test_seeded_btc_accounts_use_eight_money_digits(db_url: str) -> None:
    async with serve(seeded(db_url, 9, 200), set_time=False) as client:
        traders = await all_traders(client)
    digits = {(t["depositCurrency"], t["moneyDigits"]) for t in traders}
    assert {d for c, d in digits if c == "BTC"} == {8}


async def test_seeded_positions_close_on_weekdays_only(db_url: str) -> None:
    """The anchor is a Monday: the two days before it are a weekend, the two before that not."""
    async with serve(seeded(db_url, 9, 200), set_time=False) as client:
        token = await token_of(client, *ADMIN)
        counts = []
        for start, end in (("02-26", "02-28"), ("02-28", "03-02"), ("03-02", "03-04")):
            params = {"from": f"2026-{start}T00:00:00.000", "to": f"2026-{end}T00:00:00.000"}
            response = await client.get(
                f"{WEBSERV}/closedPositions", params={**params, "token": token}
            )
            counts.append(len(list(csv.DictReader(io.StringIO(response.text)))))
    assert counts == [276, 0, 0]
