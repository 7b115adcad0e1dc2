"""Read the users export (`docs/sandbox.md`, "The users export") into users and links.

One row per link; a user without links has one row with the trader columns empty. The same
user therefore appears on several rows: the last row wins, which is harmless because the
export repeats identical user columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from store.users import Link, User

COLUMNS = (
    "userId",
    "email",
    "nickname",
    "preferredLanguage",
    "status",
    "utcCreateTimestamp",
    "traderLogin",
    "ctidTraderAccountId",
    "brokerName",
    "environmentName",
)


class UsersCsvError(ValueError):
    """The file is not a users export; the message names the line and the problem."""


@dataclass(frozen=True)
class UsersExport:
    users: list[User]
    links: list[Link]


def _optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _user(row: Mapping[str, str]) -> User:
    return User(
        user_id=int(row["userId"]),
        email=row["email"],
        nickname=row["nickname"],
        preferred_language=row["preferredLanguage"] or None,
        status=row["status"],
        created_ms=_optional_int(row["utcCreateTimestamp"]),
    )


def _link(row: Mapping[str, str]) -> Link | None:
    if not row["traderLogin"].strip():
        return None
    return Link(
        trader_login=int(row["traderLogin"]),
        user_id=int(row["userId"]),
        ctid_trader_account_id=_optional_int(row["ctidTraderAccountId"]),
        broker_name=row["brokerName"],
        environment_name=row["environmentName"],
    )


def parse_users_csv(text: str) -> UsersExport:
    """Parse the export; raise `UsersCsvError` on a wrong header or a malformed row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise UsersCsvError(f"line 1: missing columns {', '.join(missing)}")
    users: dict[int, User] = {}
    links: dict[int, Link] = {}
    for row in reader:
        try:
            user, link = _user(row), _link(row)
        except (TypeError, ValueError) as error:
            raise UsersCsvError(f"line {reader.line_num}: {error}") from None
        users[user.user_id] = user
        if link is not None:
            links[link.trader_login] = link
    return UsersExport(users=list(users.values()), links=list(links.values()))
