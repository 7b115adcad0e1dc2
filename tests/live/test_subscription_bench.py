"""The subscription benchmark's verdict: a count is ok when it costs what one subscriber does."""

from __future__ import annotations

from bench.subscription_bench import Row, report


def test_counts_within_one_poll_of_a_single_subscriber_are_ok_others_fail() -> None:
    rows = [Row(1, 10, 10.0), Row(10, 11, 10.0), Row(100, 30, 10.0)]
    assert report(rows, 1.0).splitlines() == [
        "subscribers  upstream calls/min  target (= 1 subscriber's)",
        "          1                60.0  ok",
        "         10                66.0  ok",
        "        100               180.0  FAIL",
        "one poll per 1 s is 60 calls/min",
    ]


def test_accounts_costing_no_more_than_one_poll_over_a_single_account_are_ok() -> None:
    rows = [Row(1, 10, 10.0), Row(100, 11, 10.0), Row(1000, 7, 10.0), Row(2000, 13, 10.0)]
    assert report(rows, 1.0, "accounts").splitlines() == [
        "   accounts  upstream calls/min  target (= 1 account's)",
        "          1                60.0  ok",
        "        100                66.0  ok",
        "       1000                42.0  ok",
        "       2000                78.0  FAIL",
        "one poll per 1 s is 60 calls/min",
    ]
