"""Activity figures against an oracle computed from the upstream's raw grids (oracle.py): the
total and the groups of every dimension, for the service's manager and for a partner key, and a
partner never sees another partner's deals. Every figure is compared, exactly."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from auth.secrets import digest
from settings import ServiceSettings
from settings.auth import PartnerKey
from tests.history.kit import sync
from tests.history.oracle import RawDeal, as_figures, figures, grouped, in_window, raw_deals
from tests.resolvers.harness import Upstream, service_on, service_settings

ANCHOR_MS = 1_772_409_600_000  # 2026-03-02T00:00:00Z: the seed's deals close in the 90 days before
ANCHOR = datetime.fromtimestamp(ANCHOR_MS / 1000, tz=UTC)
START = ANCHOR - timedelta(days=90, hours=-7)
END = ANCHOR - timedelta(hours=3)
KEY = "tgk_history-test-partner-key"

FIGURES = "deals traders winningDeals volume notionalUsd commissionUsd swapUsd realizedPnlUsd"
REPORT = f"""
query ($from: DateTime!, $to: DateTime!) {{
  total: activity(from: $from, to: $to) {{ total {{ {FIGURES} }} groups {{ key {{ day }} }} }}
  day: activity(from: $from, to: $to, groupBy: [DAY]) {{ groups {{ key {{ day }} activity {{ {FIGURES} }} }} }}
  symbol: activity(from: $from, to: $to, groupBy: [SYMBOL]) {{ groups {{ key {{ symbol }} activity {{ {FIGURES} }} }} }}
  login: activity(from: $from, to: $to, groupBy: [LOGIN]) {{ groups {{ key {{ login }} activity {{ {FIGURES} }} }} }}
  partnerId: activity(from: $from, to: $to, groupBy: [PARTNER]) {{ groups {{ key {{ partnerId }} activity {{ {FIGURES} }} }} }}
  whiteLabel: activity(from: $from, to: $to, groupBy: [WHITE_LABEL]) {{ groups {{ key {{ whiteLabel }} activity {{ {FIGURES} }} }} }}
}}
"""  # noqa: E501
DIMENSIONS = ("day", "symbol", "login", "partnerId", "whiteLabel")


@dataclass(frozen=True)
class Mirror:
    sandbox: Starlette
    upstream: Upstream
    settings: ServiceSettings
    deals: list[RawDeal]
    partner: str


def _partner_with_most_traders(deals: list[RawDeal]) -> str:
    counts = Counter(p for d in deals for p in {d.ib1, d.ib2} if p)
    return counts.most_common(1)[0][0]


@pytest.fixture
async def mirror(sandbox: Starlette, upstream: Upstream, tmp_path: Path) -> Mirror:
    return await _mirror(sandbox, upstream, tmp_path)


async def _administer(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A PostgreSQL database of this test's own beside the one the environment names, so no
    other suite's deals are in its windows."""
    url = os.environ.get("TRADERGRAPH_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRADERGRAPH_TEST_POSTGRES_URL is not set")
    shared = make_url(url)
    private = shared.set(database=f"{shared.database}_history_{uuid.uuid4().hex[:12]}")
    await _administer(url, f'CREATE DATABASE "{private.database}"')
    yield private.render_as_string(hide_password=False)
    await _administer(url, f'DROP DATABASE IF EXISTS "{private.database}" WITH (FORCE)')


async def _mirror(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, **overrides: object
) -> Mirror:
    await upstream.control(
        "/_sandbox/seed",
        f'{{"seed": 14, "traders": 150, "historyDays": 90, "anchorMs": {ANCHOR_MS}}}',
    )
    grant = PartnerKey(partner="", read_only=True)
    deals = in_window(await raw_deals(upstream, ANCHOR - timedelta(days=92), ANCHOR), START, END)
    partner = _partner_with_most_traders(deals)
    keys = {digest(KEY): grant.model_copy(update={"partner": partner})}
    settings = service_settings(
        tmp_path, history_sync_enabled=False, partner_keys=keys, **overrides
    )
    await sync(sandbox, settings, ANCHOR - timedelta(days=92), ANCHOR + timedelta(days=1))
    return Mirror(sandbox, upstream, settings, deals, partner)


def _expected(deals: list[RawDeal]) -> dict[str, object]:
    answer: dict[str, object] = {"total": figures(deals)}
    for dimension in DIMENSIONS:
        answer[dimension] = grouped(deals, dimension)
    return answer


def _answered(data: dict[str, object]) -> dict[str, object]:
    total = data["total"]
    assert isinstance(total, dict)
    answer: dict[str, object] = {"total": as_figures(total["total"])}
    for dimension in DIMENSIONS:
        report = data[dimension]
        assert isinstance(report, dict)
        answer[dimension] = [
            (group["key"][dimension], as_figures(group["activity"])) for group in report["groups"]
        ]
    return answer


async def _ask(mirror: Mirror, headers: dict[str, str]) -> dict[str, object]:
    async with service_on(mirror.sandbox, mirror.settings) as graph:
        await mirror.upstream.reset_calls()
        variables = {"from": START.isoformat(), "to": END.isoformat()}
        response = await graph.http.post(
            "/graphql", json={"query": REPORT, "variables": variables}, headers=headers
        )
    body = response.json()
    assert "errors" not in body, body
    return _answered(body["data"])


async def test_the_managers_figures_equal_the_oracles_in_total_and_by_every_dimension(
    mirror: Mirror,
) -> None:
    answered = await _ask(mirror, {})
    assert (answered, await mirror.upstream.calls()) == (_expected(mirror.deals), {})
    assert len(mirror.deals) > 100  # the scene has enough deals to mean something


async def test_a_partner_keys_figures_are_its_own_traders_only(mirror: Mirror) -> None:
    answered = await _ask(mirror, {"Authorization": f"Bearer {KEY}"})
    own = [d for d in mirror.deals if mirror.partner in (d.ib1, d.ib2)]
    logins = {login for login, _ in answered["login"]}  # type: ignore[attr-defined]
    assert (answered, logins) == (_expected(own), {d.login for d in own})
    assert 0 < len(own) < len(mirror.deals)


@pytest.mark.postgres
async def test_on_postgresql_the_manager_and_partner_figures_equal_the_oracles(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, postgres_url: str
) -> None:
    mirror = await _mirror(sandbox, upstream, tmp_path, database_url=postgres_url)
    manager = await _ask(mirror, {})
    partner = await _ask(mirror, {"Authorization": f"Bearer {KEY}"})
    own = [d for d in mirror.deals if mirror.partner in (d.ib1, d.ib2)]
    assert (manager, partner) == (_expected(mirror.deals), _expected(own))
    assert 0 < len(own) < len(mirror.deals)


PARENTS = f"""
query ($from: DateTime!, $to: DateTime!, $partner: String!, $login: Int!) {{
  partner(id: $partner) {{ activity(from: $from, to: $to) {{ total {{ {FIGURES} }} }} }}
  whiteLabel(name: "atlas-markets") {{
    activity(from: $from, to: $to, groupBy: [SYMBOL]) {{
      total {{ {FIGURES} }} groups {{ key {{ symbol }} activity {{ {FIGURES} }} }}
    }}
  }}
  trader(login: $login) {{ activity(from: $from, to: $to) {{ {FIGURES} }} }}
}}
"""


async def test_partner_white_label_and_trader_activity_are_theirs_alone(mirror: Mirror) -> None:
    login = mirror.deals[0].login
    variables = {"from": START.isoformat(), "to": END.isoformat()}
    async with service_on(mirror.sandbox, mirror.settings) as graph:
        body = await graph.query(PARENTS, partner=mirror.partner, login=login, **variables)
    data = body["data"]
    assert isinstance(data, dict)
    atlas = [d for d in mirror.deals if d.broker == "atlas-markets"]
    label = data["whiteLabel"]["activity"]
    assert {
        "partner": as_figures(data["partner"]["activity"]["total"]),
        "whiteLabel": as_figures(label["total"]),
        "symbols": [(g["key"]["symbol"], as_figures(g["activity"])) for g in label["groups"]],
        "trader": as_figures(data["trader"]["activity"]),
    } == {
        "partner": figures(d for d in mirror.deals if mirror.partner in (d.ib1, d.ib2)),
        "whiteLabel": figures(atlas),
        "symbols": grouped(atlas, "symbol"),
        "trader": figures(d for d in mirror.deals if d.login == login),
    }


NOT_SYNCED = """
query ($from: DateTime!, $to: DateTime!) { activity(from: $from, to: $to) { total { deals } } }
"""


async def test_a_window_beyond_the_mirror_is_an_error_naming_what_is_synced(
    mirror: Mirror,
) -> None:
    start, end = ANCHOR - timedelta(days=200), ANCHOR - timedelta(days=10)
    async with service_on(mirror.sandbox, mirror.settings) as graph:
        body = await graph.query(NOT_SYNCED, **{"from": start.isoformat(), "to": end.isoformat()})
    synced = "2025-11-30T00:00:00+00:00..2026-03-04T00:00:00+00:00"
    errors = body["errors"]
    assert isinstance(errors, list)
    assert (body["data"], errors[0]["message"], errors[0]["extensions"]["code"]) == (
        None,
        f"The deal mirror does not hold {start.isoformat()}..{end.isoformat()}; it holds {synced}.",
        "HISTORY_NOT_SYNCED",
    )
    assert errors[0]["extensions"]["synced"] == synced


async def test_a_window_ending_before_it_starts_is_refused(mirror: Mirror) -> None:
    async with service_on(mirror.sandbox, mirror.settings) as graph:
        body = await graph.query(NOT_SYNCED, **{"from": END.isoformat(), "to": START.isoformat()})
    errors = body["errors"]
    assert isinstance(errors, list)
    assert (errors[0]["message"], errors[0]["extensions"]["code"]) == (
        "activity: from must be before to.",
        "BAD_USER_INPUT",
    )


LONG_FILTER = """
query ($from: DateTime!, $to: DateTime!, $logins: [Int!]) {
  activity(from: $from, to: $to, filter: {logins: $logins}) { total { deals } }
}
"""


async def test_a_filter_naming_more_than_a_thousand_logins_is_refused(
    sandbox: Starlette, settings: ServiceSettings
) -> None:
    window = {"from": START.isoformat(), "to": END.isoformat()}
    async with service_on(sandbox, settings) as graph:
        body = await graph.query(LONG_FILTER, logins=list(range(1, 1002)), **window)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert (body["data"], errors[0]["message"], errors[0]["extensions"]["code"]) == (
        None,
        "activity: filter.logins may name at most 1000.",
        "BAD_USER_INPUT",
    )


LOGIN = """
mutation { login(managerLogin: 2001, password: "white-label-desk") { ... on Session { token } } }
"""


async def test_a_manager_sessions_figures_are_its_white_labels_traders_only(
    mirror: Mirror,
) -> None:
    body = {
        "login": 2001,
        "password": "white-label-desk",
        "disabledBrokerNames": ["atlas-markets", "borealis-fx"],
    }
    await mirror.upstream.http.post("/_sandbox/managers", json=body)
    async with service_on(mirror.sandbox, mirror.settings) as graph:
        session = await graph.query(LOGIN)
    token = session["data"]["login"]["token"]  # type: ignore[index]
    answered = await _ask(mirror, {"Authorization": f"Bearer {token}"})
    own = [d for d in mirror.deals if d.broker == "sandbox"]
    assert answered == _expected(own)
    assert 0 < len(own) < len(mirror.deals)
