"""`Account.marginLevel`, `Account.unrealizedPnl` and `traders(filter: {marginLevelBelow})` over
the sandbox: whole values next to the sandbox's own raw figures, and the upstream calls counted.

The sandbox marks positions at their entry price, so its unrealised P&L is 0 and its equity is
balance + bonus + credit (docs/sandbox.md); `tests/resolvers/test_risk_figures.py` covers a
non-zero P&L, rounding ties and extreme amounts on the derivation itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from unittest.mock import ANY

import pytest
from starlette.applications import Starlette

from tests.resolvers.direct import all_traders
from tests.resolvers.harness import WEBSERV, Graph, Json, Upstream
from tests.security.test_partner_keys import partner_key
from tests.security.wire import Answer, wire_on

RISK = """
query ($login: Int!) {
  trader(login: $login) { account {
    balance { amount } bonus { amount } credit { amount } equity { amount }
    usedMargin { amount } marginLevel unrealizedPnl { amount currency }
  } }
}
"""

BELOW = """
query ($below: Decimal!) {
  traders(first: 50, filter: { marginLevelBelow: $below }) {
    edges { node { login } }
    totalCount
  }
}
"""

BELOW_WITH_ACCOUNT = """
query ($below: Decimal!) {
  traders(first: 50, filter: { marginLevelBelow: $below }) {
    edges { node { login account { marginLevel } } }
  }
}
"""


async def fund(upstream: Upstream, login: int, *, balance: str, bonus: str, credit: str) -> None:
    """Money of each kind on the account, as a back office would book it."""
    await upstream.deposit(login, balance)
    await upstream.post(
        f"{WEBSERV}/traders/{login}/changebonus",
        f'{{"login": {login}, "preciseAmount": {bonus}, "type": "DEPOSIT"}}',
    )
    await upstream.post(
        f"{WEBSERV}/traders/{login}/changebalance",
        f'{{"login": {login}, "preciseAmount": {credit}, "type": "DEPOSIT_NONWITHDRAWABLE_BONUS"}}',
    )


def expected_level(trader: Json) -> str | None:
    """The sandbox's raw equity and usedMargin (scaled integers) as a percentage, by hand."""
    equity, used = int(str(trader["equity"])), int(str(trader["usedMargin"]))
    if used == 0:
        return None
    with localcontext(prec=60):
        level = (Decimal(equity) * 100 / Decimal(used)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    return format(level, "f")


async def test_a_trading_account_shows_its_margin_level_and_unrealized_pnl(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(currency="USD")
    await fund(upstream, login, balance="1000.00", bonus="50.00", credit="25.00")
    await upstream.open_position(login, volume="100000.00", symbol="EURUSD")
    await upstream.open_position(login, volume="20000.00", symbol="GBPUSD")

    result = await graph.query(RISK, login=login)

    raw = await upstream.get(f"{WEBSERV}/traders/{login}")
    assert isinstance(raw, dict)
    # 100,000 EUR at 1.08 and 20,000 GBP at 1.27 on 1:100: 1,080.00 + 254.00 of margin
    assert (raw["equity"], raw["usedMargin"], expected_level(raw)) == (107500, 133400, "80.58")
    account = {
        "balance": {"amount": "1000.00"},
        "bonus": {"amount": "50.00"},
        "credit": {"amount": "25.00"},
        "equity": {"amount": "1075.00"},
        "usedMargin": {"amount": "1334.00"},
        "marginLevel": "80.58",
        "unrealizedPnl": {"amount": "0.00", "currency": "USD"},
    }
    assert result == {"data": {"trader": {"account": account}}}


async def test_an_account_using_no_margin_has_no_margin_level(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(currency="EUR")
    await fund(upstream, login, balance="300.00", bonus="0.01", credit="7.50")

    result = await graph.query(RISK, login=login)

    account = {
        "balance": {"amount": "300.00"},
        "bonus": {"amount": "0.01"},
        "credit": {"amount": "7.50"},
        "equity": {"amount": "307.51"},
        "usedMargin": {"amount": "0.00"},
        "marginLevel": None,
        "unrealizedPnl": {"amount": "0.00", "currency": "EUR"},
    }
    assert result == {"data": {"trader": {"account": account}}}


async def risky_book(upstream: Upstream) -> list[int]:
    """Twelve USD traders with 500.00 each and growing positions (margin levels from 463 % down
    to 39 %), and four that hold no position."""
    logins = []
    for n in range(16):
        login = await upstream.create_trader(currency="USD")
        await upstream.deposit(login, "500.00")
        if n < 12:
            await upstream.open_position(login, volume=f"{10000 * (n + 1)}.00")
        logins.append(login)
    return logins


def levels_below(traders: list[Json], bound: str) -> list[int]:
    """The oracle: every trader's level from the raw list, kept if below `bound`, in page order."""
    return [
        int(str(trader["login"]))
        for trader in traders
        if (level := expected_level(trader)) is not None and Decimal(level) < Decimal(bound)
    ]


@pytest.mark.parametrize("bound", ["100", "92.59", "92.60", "1000", "0", "-5"])
async def test_the_filter_keeps_the_traders_below_the_bound_in_page_order(
    graph: Graph, upstream: Upstream, bound: str
) -> None:
    await risky_book(upstream)
    expected = levels_below(await all_traders(upstream), bound)

    result = await graph.query(BELOW, below=bound)

    edges = [{"node": {"login": login}} for login in expected]
    assert result == {"data": {"traders": {"edges": edges, "totalCount": len(expected)}}}


async def test_the_oracle_sees_the_ladder_of_levels(upstream: Upstream) -> None:
    """The population the filter tests rely on: twelve distinct levels, none for four traders."""
    logins = await risky_book(upstream)
    traders = {int(str(t["login"])): t for t in await all_traders(upstream)}

    levels = [expected_level(traders[login]) for login in logins]

    assert levels == [
        "462.96", "231.48", "154.32", "115.74", "92.59", "77.16",
        "66.14", "57.87", "51.44", "46.30", "42.09", "38.58",
        None, None, None, None,
    ]  # fmt: skip


async def test_the_filter_costs_one_list_call_for_the_whole_book(
    graph: Graph, upstream: Upstream
) -> None:
    await risky_book(upstream)
    await graph.query(BELOW, below="1")  # builds the index
    await upstream.reset_calls()

    await graph.query(BELOW, below="100")

    assert await upstream.calls() == {"GET /v2/webserv/traders/": 1}


async def test_two_filtered_lists_in_one_request_share_the_list_call(
    graph: Graph, upstream: Upstream
) -> None:
    await risky_book(upstream)
    await graph.query(BELOW, below="1")
    await upstream.reset_calls()

    result = await graph.query(
        '{ a: traders(first: 2, filter: { marginLevelBelow: "100" }) { totalCount }'
        '  b: traders(first: 2, filter: { marginLevelBelow: "50" }) { totalCount } }'
    )

    assert result == {"data": {"a": {"totalCount": 8}, "b": {"totalCount": 3}}}
    assert await upstream.calls() == {"GET /v2/webserv/traders/": 1}


async def test_the_page_accounts_add_one_list_call_for_the_whole_page(
    graph: Graph, upstream: Upstream
) -> None:
    logins = await risky_book(upstream)
    await graph.query(BELOW, below="1")
    await upstream.reset_calls()

    result = await graph.query(BELOW_WITH_ACCOUNT, below="100")

    levels = ["92.59", "77.16", "66.14", "57.87", "51.44", "46.30", "42.09", "38.58"]
    edges = [
        {"node": {"login": login, "account": {"marginLevel": level}}}
        for login, level in zip(logins[4:12], levels, strict=True)
    ]
    assert result == {"data": {"traders": {"edges": edges}}}
    assert await upstream.calls() == {"GET /v2/webserv/traders/": 2}


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("1.5", "'Decimal values are strings such as \"1234.56\"'; found: 1.5."),
        ('"lots"', "''lots' is not a decimal number'; found: \"lots\"."),
    ],
)
async def test_a_bound_that_is_no_decimal_is_refused(
    graph: Graph, upstream: Upstream, given: str, error: str
) -> None:
    await upstream.reset_calls()

    result = await graph.query(
        f"{{ traders(first: 5, filter: {{ marginLevelBelow: {given} }}) {{ totalCount }} }}"
    )

    message = f"Expected value of type 'Decimal', but encountered error {error}"
    assert result["data"] is None
    assert result["errors"] == [
        {
            "message": message,
            "locations": [{"line": 1, "column": 49}],
            "extensions": {"code": "BAD_USER_INPUT", "requestId": ANY},
        }
    ]
    assert await upstream.calls() == {}


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("NaN", "'NaN' is not a finite number"),
        ("-Infinity", "'-Infinity' is not a finite number"),
        (
            "1e999999",
            "'1e999999' is written with an exponent; write its digits out, as in \"1234.56\"",
        ),
        ("1" * 29, "'111111111111111111111111...' has more than 28 significant digits or decimals"),
    ],
)
async def test_a_bound_the_service_cannot_compare_is_refused_before_any_call(
    graph: Graph, upstream: Upstream, given: str, reason: str
) -> None:
    await upstream.reset_calls()

    result = await graph.query(BELOW, below=given)

    assert result["data"] is None
    assert result["errors"] == [
        {
            "message": f"marginLevelBelow: {reason}.",
            "locations": [{"line": 3, "column": 3}],
            "path": ["traders"],
            "extensions": {"code": "BAD_USER_INPUT", "requestId": ANY},
        }
    ]
    assert await upstream.calls() == {}


async def test_the_largest_bound_keeps_every_trader_using_margin(
    graph: Graph, upstream: Upstream
) -> None:
    logins = await risky_book(upstream)

    result = await graph.query(BELOW, below="9" * 28)

    edges = [{"node": {"login": login}} for login in logins[:12]]
    assert result == {"data": {"traders": {"edges": edges, "totalCount": 12}}}


async def test_the_cost_estimate_counts_the_filters_list_call(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    await risky_book(upstream)
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        await upstream.reset_calls()

        answer = await wire.post_asking_cost(
            '{ traders(first: 50, filter: { marginLevelBelow: "100" }) { totalCount } }'
        )

    assert isinstance(answer.body, dict)
    calls = await upstream.calls()
    # the token (a process's first call, which the model does not price), a cold index, then
    # the list of traders with open positions
    assert calls == {"POST /v2/webserv/managers/token": 1, "GET /v2/webserv/traders/": 2}
    assert answer.body["extensions"] == {"cost": {"estimatedCalls": 2, "actualCalls": 3}}


async def test_a_partner_key_filters_only_its_own_traders(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    own = [await upstream.create_trader(partner="IB-7001") for _ in range(2)]
    foreign = await upstream.create_trader(partner="IB-7002")
    for login in (*own, foreign):
        await upstream.deposit(login, "100.00")
        await upstream.open_position(login, volume="10000.00")  # 108.00 of margin: 92.59 %
    key = await partner_key(tmp_path, "IB-7001")
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        answer = await wire.as_bearer(key).post(BELOW, below="100")

    edges = [{"node": {"login": login}} for login in own]
    assert answer == Answer(200, {"data": {"traders": {"edges": edges, "totalCount": 2}}})
