"""Reading the users export of docs/sandbox.md ("The users export")."""

from __future__ import annotations

import pytest

from store.users import Link, User
from store.users_csv import UsersCsvError, UsersExport, parse_users_csv

HEADER = (
    "userId,email,nickname,preferredLanguage,status,utcCreateTimestamp,"
    "traderLogin,ctidTraderAccountId,brokerName,environmentName\n"
)


def test_one_row_per_link_gives_each_user_once() -> None:
    text = HEADER + (
        "1,a@example.com,ctid1,en,CTID_NEW,1700000000000,30001,7001,sandbox,demo\n"
        "1,a@example.com,ctid1,en,CTID_NEW,1700000000000,30002,7002,atlas-markets,demo\n"
    )
    alice = User(1, "a@example.com", "ctid1", "en", "CTID_NEW", 1_700_000_000_000)
    assert parse_users_csv(text) == UsersExport(
        users=[alice],
        links=[
            Link(30001, 1, 7001, "sandbox", "demo"),
            Link(30002, 1, 7002, "atlas-markets", "demo"),
        ],
    )


def test_a_user_without_links_has_empty_trader_columns() -> None:
    text = HEADER + "2,b@example.com,ctid2,,CTID_ACTIVE,,,,,\n"
    assert parse_users_csv(text) == UsersExport(
        users=[User(2, "b@example.com", "ctid2", None, "CTID_ACTIVE", None)], links=[]
    )


def test_a_file_without_the_export_header_is_refused() -> None:
    with pytest.raises(UsersCsvError) as raised:
        parse_users_csv("userId,email\n1,a@example.com\n")
    assert str(raised.value) == (
        "line 1: missing columns nickname, preferredLanguage, status, utcCreateTimestamp, "
        "traderLogin, ctidTraderAccountId, brokerName, environmentName"
    )


def test_a_malformed_row_names_its_line() -> None:
    with pytest.raises(UsersCsvError) as raised:
        parse_users_csv(HEADER + "x,a@example.com,ctid1,en,CTID_NEW,,,,,\n")
    assert str(raised.value) == "line 2: invalid literal for int() with base 10: 'x'"
