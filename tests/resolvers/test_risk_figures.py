"""The risk derivation itself (`resolvers/risk.py`): exact for any amount, rounded half-even.

The sandbox's unrealised P&L is always 0 (test_account_risk.py); real accounts' is not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from resolvers.risk import levels_of, margin_level, unrealized_pnl
from upstream.records import TraderSummary

D = Decimal
REGISTERED = datetime(2026, 1, 5, tzinfo=UTC)


def test_unrealized_pnl_is_equity_less_balance_bonus_and_credit() -> None:
    assert unrealized_pnl(D("1042.17"), D("1000.00"), D("50.00"), D("25.00")) == D("-32.83")
    assert str(unrealized_pnl(D("1125.50"), D("1000.00"), D("0.00"), D("0.00"))) == "125.50"


def test_unrealized_pnl_keeps_every_digit_of_enormous_amounts() -> None:
    equity = D("123456789012345678901234567890.12345678")
    pnl = unrealized_pnl(equity, D("0.00000001"), D("0.00000000"), D("0.00000000"))

    assert str(pnl) == "123456789012345678901234567890.12345677"


@pytest.mark.parametrize(
    ("equity", "used", "level"),
    [
        ("1000.00", "3.00", "33333.33"),
        ("1075.00", "1334.00", "80.58"),
        ("150.00", "100.00", "150.00"),
        ("-5.00", "3.00", "-166.67"),
        ("0.00", "12.00", "0.00"),
        # ties at the third decimal go to the even hundredth
        ("0.00125", "10", "0.01"),
        ("0.00135", "10", "0.01"),
        ("0.00150", "10", "0.02"),
        ("0.00250", "10", "0.02"),
        ("1000000000000000000000000000000", "0.00000001", "1" + "0" * 40 + ".00"),
    ],
)
def test_the_margin_level_is_equity_over_used_margin_in_percent(
    equity: str, used: str, level: str
) -> None:
    assert str(margin_level(D(equity), D(used))) == level


def test_an_account_using_no_margin_has_no_level() -> None:
    assert margin_level(D("1000.00"), D("0.00")) is None


def test_only_summaries_carrying_margin_have_a_level() -> None:
    summaries = [
        TraderSummary(1, REGISTERED, equity=D("500.00"), used_margin=D("108.00")),
        TraderSummary(2, REGISTERED, equity=D("500.00"), used_margin=D("0.00")),
        TraderSummary(3, REGISTERED),
    ]

    assert levels_of(summaries) == {1: D("462.96")}
