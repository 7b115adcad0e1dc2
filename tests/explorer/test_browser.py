"""The explorer in a real browser: GraphiQL loads from the service alone, runs its example tabs,
and shows the service's answers. Screenshots land in the test's temporary directory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from explorer.operations import DEPOSIT, DEPOSIT_LOGIN, PARTNER_ID, PARTNER_PORTAL, Example
from tests.explorer.browser import MISSING, chromium, open_tab, run_open_tab
from tests.explorer.served import running_demo

pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"no browser: {', '.join(MISSING)} missing (apt-get install chromium chromium-driver)",
)
PNG = b"\x89PNG\r\n\x1a\n"


def result(answer: dict[str, object]) -> dict[str, object]:
    """The answer without `extensions`: per-request metadata (costs, timings) that two runs of
    the same operation need not share."""
    return {key: value for key, value in answer.items() if key != "extensions"}


async def answer(url: str, example: Example) -> dict[str, object]:
    """What the service answers to the example, asked directly."""
    body = {"query": example.query, "variables": json.loads(example.variables)}
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(f"{url}/graphql", json=body)
    answered: dict[str, object] = response.json()
    return answered


def run_first_tab(url: str, scratch: Path) -> tuple[str, Path]:
    with chromium(scratch / "profile") as driver:
        driver.get(f"{url}/graphql")
        shown = run_open_tab(driver)
        shot = scratch / "partner-portal.png"
        driver.save_screenshot(str(shot))
    return shown, shot


def run_deposit_tab(url: str, scratch: Path) -> str:
    with chromium(scratch / "profile") as driver:
        driver.get(f"{url}/graphql")
        open_tab(driver, "Deposit")
        shown = run_open_tab(driver)
        driver.save_screenshot(str(scratch / "deposit.png"))
    return shown


async def test_the_preloaded_partner_query_runs_and_shows_its_result(tmp_path: Path) -> None:
    async with running_demo(tmp_path, traders=40) as url:
        shown, shot = await asyncio.to_thread(run_first_tab, url, tmp_path)
        direct = await answer(url, PARTNER_PORTAL)
    assert result(json.loads(shown)) == result(direct)
    assert (PARTNER_ID in shown, shot.read_bytes()[:8]) == (True, PNG)


async def test_the_deposit_tab_deposits_once_and_a_repeat_answers_the_same_movement(
    tmp_path: Path,
) -> None:
    async with running_demo(tmp_path, traders=40) as url:
        shown = await asyncio.to_thread(run_deposit_tab, url, tmp_path)
        repeat = await answer(url, DEPOSIT)
    assert result(json.loads(shown)) == result(repeat)
    assert ('"state": "SUCCEEDED"' in shown, f'"login": {DEPOSIT_LOGIN}' in shown) == (True, True)
