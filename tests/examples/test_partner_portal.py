"""examples/partner_portal.py, run as a partner would run it against `make run`, and its report."""

from __future__ import annotations

import asyncio
import io
import re
from decimal import Decimal
from pathlib import Path

import httpx

from auth.store import KeyStore
from examples.partner_portal import PAGE, Holding, Totals, holding, main, report, totals
from store.db import make_engine
from tests.explorer.served import running_demo

PARTNER = "IB-0230"  # three of the first 200 traders of seed 42 name it (explorer/operations.py)


def usd(login: int, balance: str, equity: str, currency: str = "USD") -> Holding:
    return Holding(login, "Ada Lovelace", "sandbox", currency, Decimal(balance), Decimal(equity))


async def all_in_one_page(url: str) -> list[Holding]:
    """The partner's traders asked in a single page, without the script's client."""
    body = {"query": PAGE, "variables": {"partner": PARTNER, "first": 100, "after": None}}
    async with httpx.AsyncClient(timeout=30) as client:
        answer = (await client.post(url, json=body)).json()
    return [holding(edge["node"]) for edge in answer["data"]["partner"]["traders"]["edges"]]


async def test_the_script_pages_through_the_partners_traders_and_reports_them(
    tmp_path: Path,
) -> None:
    out, err = io.StringIO(), io.StringIO()
    async with running_demo(tmp_path, traders=200) as url:
        argv = ["--url", f"{url}/graphql", "--partner", PARTNER, "--page-size", "2"]
        code = await asyncio.to_thread(main, argv, out, err)
        holdings = await all_in_one_page(f"{url}/graphql")
    printed = out.getvalue().splitlines()
    assert (code, printed, err.getvalue(), len(holdings)) == (0, report(PARTNER, holdings), "", 3)


async def test_the_script_runs_with_the_partners_api_key_and_stops_on_a_wrong_one(
    tmp_path: Path,
) -> None:
    out, err = io.StringIO(), io.StringIO()
    async with running_demo(tmp_path, traders=200) as url:
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
        key = await KeyStore(engine).create(PARTNER, read_only=True)
        await engine.dispose()
        argv = ["--url", f"{url}/graphql", "--partner", PARTNER, "--token", key]
        code = await asyncio.to_thread(main, argv, out, err)
        wrong_out, wrong_err = io.StringIO(), io.StringIO()
        wrong = [*argv[:-1], "tgk_not-a-key"]
        wrong_code = await asyncio.to_thread(main, wrong, wrong_out, wrong_err)
        holdings = await all_in_one_page(f"{url}/graphql")
    assert (code, out.getvalue().splitlines(), err.getvalue()) == (0, report(PARTNER, holdings), "")
    refusal = re.fullmatch(
        r"the service refused the query: UNAUTHENTICATED: The bearer token is unknown, revoked or"
        r" expired; log in again\. \(request id [0-9a-f]{32}\)\n",
        wrong_err.getvalue(),
    )
    assert (wrong_code, wrong_out.getvalue(), refusal is not None) == (2, "", True)


async def test_an_unknown_partner_ends_the_script_with_a_message(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    async with running_demo(tmp_path, traders=40) as url:
        argv = ["--url", f"{url}/graphql", "--partner", "IB-9999"]
        code = await asyncio.to_thread(main, argv, out, err)
    assert (code, out.getvalue(), err.getvalue()) == (1, "", "no trader names partner IB-9999\n")


def test_totals_add_up_per_currency_and_never_mix_currencies() -> None:
    holdings = [
        usd(1, "10.10", "10.20"),
        usd(2, "0.01", "0.02", "EUR"),
        usd(3, "5.05", "5.00"),
    ]
    assert totals(holdings) == [
        Totals("EUR", 1, Decimal("0.01"), Decimal("0.02")),
        Totals("USD", 2, Decimal("15.15"), Decimal("15.20")),
    ]


def test_the_report_lists_each_trader_then_the_totals() -> None:
    lines = report("IB-0001", [usd(3000001, "1234.50", "1200.00")])
    assert lines == [
        "Partner IB-0001, traders: 1",
        "    login  name                     white label             balance           equity",
        "  3000001  Ada Lovelace             sandbox            1,234.50 USD     1,200.00 USD",
        "Totals per currency",
        "  USD: traders 1, balance 1,234.50, equity 1,200.00",
    ]
