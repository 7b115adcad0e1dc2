"""The joins of the page query done by hand over the sandbox's REST API: the expected answer.

Deliberately naive (read everything, join in Python), so that it shares nothing with the
service's index, windows and loaders it checks.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from tests.resolvers.harness import ACCEPT_JSON, WEBSERV, Json, Upstream

EVERYTHING = {"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}


async def _json(upstream: Upstream, path: str, **params: str) -> object:
    response = await upstream.http.get(
        path, params={**params, "token": upstream.token}, headers=ACCEPT_JSON
    )
    assert response.is_success, response.text
    return json.loads(response.text, parse_float=Decimal)


def _amount(value: object, digits: object) -> str:
    assert isinstance(value, int)
    assert isinstance(digits, int)
    return format(Decimal(value).scaleb(-digits), "f")


async def all_traders(upstream: Upstream) -> list[Json]:
    """Every trader, oldest registration first, ties by login (the service's order)."""
    answer = await _json(upstream, f"{WEBSERV}/traders/", **EVERYTHING)
    assert isinstance(answer, dict)
    traders: list[Json] = answer["trader"]
    return sorted(
        traders, key=lambda t: (int(str(t["registrationTimestamp"])), int(str(t["login"])))
    )


async def positions_by_login(upstream: Upstream) -> dict[int, list[Json]]:
    rows = await _json(upstream, f"{WEBSERV}/openPositions")
    assert isinstance(rows, list)
    found: dict[int, list[Json]] = {}
    for row in rows:
        found.setdefault(int(row["login"]), []).append(
            {"symbol": row["symbol"], "volume": format(Decimal(row["volume"]), "f")}
        )
    return found


async def emails_by_login(upstream: Upstream) -> dict[int, str]:
    rows = csv.DictReader(io.StringIO(await upstream.users_csv()))
    return {int(row["traderLogin"]): row["email"] for row in rows if row["traderLogin"]}


def page_node(trader: Json, positions: dict[int, list[Json]], emails: dict[int, str]) -> Json:
    login = int(str(trader["login"]))
    digits = trader["moneyDigits"]
    email = emails.get(login)
    return {
        "login": login,
        "account": {
            "balance": {
                "amount": _amount(trader["balance"], digits),
                "currency": trader["depositCurrency"],
            },
            "equity": {"amount": _amount(trader["equity"], digits)},
        },
        "whiteLabel": {"name": trader["brokerName"]},
        "group": {"name": trader["groupName"]},
        "openPositions": positions.get(login, []),
        "user": None if email is None else {"email": email},
    }


async def expected_page(upstream: Upstream, first: int) -> list[Json]:
    traders = (await all_traders(upstream))[:first]
    positions, emails = await positions_by_login(upstream), await emails_by_login(upstream)
    return [{"node": page_node(trader, positions, emails)} for trader in traders]
