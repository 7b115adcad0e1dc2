"""The two clients the read-graph benchmark compares, asking for the same page of traders.

`FacadeClient` sends the acceptance query of issue 4 to the service's `/graphql`.
`DirectClient` is what a CRM would write by hand against the REST API (plain httpx, JSON): it
lists the page's traders with `fields` over the page's registration window, reads the open
positions grid, and joins the traders to their users through the users export it loaded once.
Both answer the page as the same JSON value (the `edges` of the GraphQL answer), so the benchmark
can check they did the same work before timing them.

Like the service's warm trader index, the direct client learns the page's logins and window once
(one `fields=login,registrationTimestamp` listing) and re-reads only the page afterwards. The
facade answers `group { name }` from the trader's `groupName`, so the direct client needs no
`tradergroups` call either.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx

from bench.graph_processes import MANAGER_LOGIN, MANAGER_PASSWORD

WEBSERV = "/v2/webserv"
JSON_ACCEPT = {"Accept": "application/json"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EVERYTHING = {"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}
PAGE_FIELDS = (
    "login,registrationTimestamp,balance,equity,moneyDigits,depositCurrency,brokerName,groupName"
)
NODE = """login
      account { balance { amount currency } equity { amount } }
      whiteLabel { name }
      group { name }
      openPositions { symbol volume }
      user { email }"""
PAGE_QUERY = f"""query ($first: Int!, $after: String) {{
  traders(first: $first, after: $after) {{
    edges {{ node {{ {NODE} }} }}
    pageInfo {{ endCursor hasNextPage }}
  }}
}}"""
ACCEPTANCE_QUERY = (
    f"query ($first: Int!) {{ traders(first: $first) {{ edges {{ node {{ {NODE} }} }} }} }}"
)

Json = dict[str, object]


class QueryFailed(RuntimeError):
    """An answer the benchmark cannot count as served: a bad status or GraphQL errors."""


@dataclass(frozen=True)
class Page:
    """One page of the connection: its edges, and where the next one starts."""

    edges: list[object]
    end_cursor: str | None
    has_next: bool


class FacadeClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _data(self, query: str, variables: Json) -> Json:
        response = await self._http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        if response.status_code != 200 or not isinstance(body, dict) or "errors" in body:
            raise QueryFailed(f"{response.status_code}: {response.text[:300]}")
        traders: Json = body["data"]["traders"]
        return traders

    async def page(self, first: int) -> list[object]:
        """The acceptance query of issue 4: the first `first` traders."""
        edges = (await self._data(ACCEPTANCE_QUERY, {"first": first}))["edges"]
        assert isinstance(edges, list)
        return edges

    async def page_after(self, first: int, after: str | None) -> Page:
        """The same nodes with `pageInfo`, for walking the whole connection."""
        traders = await self._data(PAGE_QUERY, {"first": first, "after": after})
        info = traders["pageInfo"]
        assert isinstance(info, dict)
        edges = traders["edges"]
        assert isinstance(edges, list)
        return Page(edges, info["endCursor"], bool(info["hasNextPage"]))


def wire_time(epoch_ms: int) -> str:
    """Epoch milliseconds as the upstream's query-parameter time, `yyyy-MM-ddTHH:mm:ss.SSS`."""
    moment = EPOCH + timedelta(milliseconds=epoch_ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}"


def amount(value: object, digits: object) -> str:
    assert isinstance(value, int)
    assert isinstance(digits, int)
    return format(Decimal(value).scaleb(-digits), "f")


@dataclass(frozen=True)
class PagePlan:
    """The page's logins, oldest registration first, and the window that lists them."""

    logins: tuple[int, ...]
    params: dict[str, str]


class DirectClient:
    def __init__(self, http: httpx.AsyncClient, token: str, emails: dict[int, str]) -> None:
        self._http, self._token, self._emails = http, token, emails
        self._plans: dict[int, PagePlan] = {}

    @classmethod
    async def connect(cls, http: httpx.AsyncClient) -> DirectClient:
        """Log in as the manager and load the users export once, as a CRM holds it."""
        password = hashlib.md5(MANAGER_PASSWORD.encode()).hexdigest()
        body = {"login": MANAGER_LOGIN, "hashedPassword": password}
        answer = await http.post(f"{WEBSERV}/managers/token", json=body, headers=JSON_ACCEPT)
        answer.raise_for_status()
        export = await http.get("/_sandbox/users.csv")
        export.raise_for_status()
        rows = csv.DictReader(io.StringIO(export.text))
        emails = {int(row["traderLogin"]): row["email"] for row in rows if row["traderLogin"]}
        return cls(http, str(answer.json()["webservToken"]), emails)

    async def _get(self, path: str, params: dict[str, str]) -> object:
        query = {**params, "token": self._token}
        response = await self._http.get(path, params=query, headers=JSON_ACCEPT)
        response.raise_for_status()
        return json.loads(response.text, parse_float=Decimal)

    async def plan(self, first: int) -> PagePlan:
        """The first `first` logins by (registration, login), and their window; learnt once."""
        if first not in self._plans:
            listing = await self._get(
                f"{WEBSERV}/traders/", {**EVERYTHING, "fields": "login,registrationTimestamp"}
            )
            assert isinstance(listing, dict)
            keys = sorted(
                (int(t["registrationTimestamp"]), int(t["login"])) for t in listing["trader"]
            )[:first]
            window = {"from": wire_time(keys[0][0]), "to": wire_time(keys[-1][0] + 1)}
            self._plans[first] = PagePlan(tuple(login for _, login in keys), window)
        return self._plans[first]

    async def page(self, first: int) -> list[object]:
        plan = await self.plan(first)
        listing = await self._get(f"{WEBSERV}/traders/", {**plan.params, "fields": PAGE_FIELDS})
        assert isinstance(listing, dict)
        traders = {int(t["login"]): t for t in listing["trader"]}
        positions = await self._positions(set(plan.logins))
        return [{"node": self._node(traders[login], positions)} for login in plan.logins]

    async def _positions(self, logins: set[int]) -> dict[int, list[Json]]:
        rows = await self._get(f"{WEBSERV}/openPositions", {})
        assert isinstance(rows, list)
        found: defaultdict[int, list[Json]] = defaultdict(list)
        for row in rows:
            if (login := int(row["login"])) in logins:
                found[login].append(
                    {"symbol": row["symbol"], "volume": format(Decimal(str(row["volume"])), "f")}
                )
        return found

    def _node(self, trader: Json, positions: dict[int, list[Json]]) -> Json:
        login, digits = int(str(trader["login"])), trader["moneyDigits"]
        email = self._emails.get(login)
        balance = {
            "amount": amount(trader["balance"], digits),
            "currency": trader["depositCurrency"],
        }
        return {
            "login": login,
            "account": {"balance": balance, "equity": {"amount": amount(trader["equity"], digits)}},
            "whiteLabel": {"name": trader["brokerName"]},
            "group": {"name": trader["groupName"]},
            "openPositions": positions.get(login, []),
            "user": None if email is None else {"email": email},
        }
