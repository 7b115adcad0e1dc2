"""Fixtures and factories for the black-box specification of the emulated WebServices API.

The tests talk to the sandbox only over in-process ASGI, as a client would over HTTP, and decide
what is right from `../shared/reference/webservices-api.md` (its §12 where the real docs are
silent), never from `sandbox/`. Every test runs on SQLite and, when
`TRADERGRAPH_TEST_POSTGRES_URL` is set, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import httpx
import pytest
from defusedxml import ElementTree
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox import SandboxSettings, create_app

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Json = dict[str, object]

SQLITE_URL = "sqlite+aiosqlite:///:memory:"
POSTGRES_ENV = "TRADERGRAPH_TEST_POSTGRES_URL"
WEBSERV = "/v2/webserv"
ACCEPT_JSON = {"Accept": "application/json"}
ACCEPT_XML = {"Accept": "application/xml"}
ADMIN = (1001, "sandbox-admin")
DESK = (1002, "sandbox-desk")
PARTNER = (1003, "sandbox-partner")
TRADER_PASSWORD = "trader-secret"
# 2026-03-02T10:20:30.456 UTC: every test starts with the sandbox clock here.
NOW_MS = 1_772_446_830_456
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
# The sandbox clock keeps running after `POST /_sandbox/clock` moves it (it is real time plus an
# offset), so a time stamped "at T" is T plus the real time the test took since: well under this.
CLOCK_SLACK_MS = 10_000


def md5(text: str) -> str:
    """Passwords travel as lowercase MD5 hex digests (§1.2)."""
    return hashlib.md5(text.encode()).hexdigest()


def wire_time(epoch_ms: int) -> str:
    """Query-parameter and grid times: `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, no zone (§1.4)."""
    moment = datetime.fromtimestamp(epoch_ms // 1000, tz=UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}"


class _Matcher:
    """A value that equals whatever satisfies a rule, so whole values can be compared at once."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return f"<{self.label}>"

    def accepts(self, other: object) -> bool:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return self.accepts(other)

    __hash__ = None  # type: ignore[assignment]


class OfType(_Matcher):
    """Any value of the given JSON types (bool is never accepted as a number)."""

    def __init__(self, *kinds: type) -> None:
        super().__init__("any " + "|".join(kind.__name__ for kind in kinds))
        self.kinds = kinds

    def accepts(self, other: object) -> bool:
        if isinstance(other, bool) and not {bool, object} & set(self.kinds):
            return False
        return isinstance(other, self.kinds)


class Matches(_Matcher):
    """Any string matching the regular expression in full."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"text matching {pattern}")
        self.pattern = re.compile(pattern)

    def accepts(self, other: object) -> bool:
        return isinstance(other, str) and self.pattern.fullmatch(other) is not None


class OneOf(_Matcher):
    """Any of the listed values (an enum field whose value the test cannot derive)."""

    def __init__(self, *values: object) -> None:
        super().__init__(f"one of {values}")
        self.values = values

    def accepts(self, other: object) -> bool:
        return other in self.values


class At(_Matcher):
    """A time stamped by the sandbox while its clock read `at_ms` (plus CLOCK_SLACK_MS), as epoch
    ms or, with `wire=True`, as a `yyyy-MM-ddTHH:mm:ss.SSS` string."""

    def __init__(self, at_ms: int, *, wire: bool = False) -> None:
        super().__init__(f"time {wire_time(at_ms)} (+{CLOCK_SLACK_MS} ms)")
        self.at_ms = at_ms
        self.wire = wire

    def accepts(self, other: object) -> bool:
        stamp = epoch_ms_of(other) if self.wire else other
        if isinstance(stamp, bool) or not isinstance(stamp, int):
            return False
        return self.at_ms <= stamp < self.at_ms + CLOCK_SLACK_MS


def epoch_ms_of(text: object) -> int | None:
    """Epoch ms of a strict `yyyy-MM-ddTHH:mm:ss.SSS` UTC string, None for anything else."""
    if not isinstance(text, str) or not re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", text
    ):
        return None
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1000 + moment.microsecond // 1000


MISSING = "<absent>"
ANY_TEXT = Matches(r"(?s).+")
ABSENT = OneOf(MISSING)
ANY_INT = OfType(int)
ANY_NUMBER = OfType(int, float)
ANY_BOOL = OfType(bool)


def error_body(code: str) -> Json:
    """The documented error body; the description text is not specified, only non-empty (§1.8)."""
    return {"error": {"errorCode": code, "description": ANY_TEXT}}


def outcome(response: httpx.Response) -> tuple[int, object]:
    """Status and decoded JSON body, compared together so a failure shows both."""
    return response.status_code, response.json()


def project(actual: Mapping[str, object], expected: Mapping[str, object]) -> Json:
    """The keys of `expected` as found in `actual`, a missing key as MISSING (matched by ABSENT)."""
    return {key: actual.get(key, MISSING) for key in expected}


def to_json(value: object) -> str:
    """JSON text where a Decimal is written as an exact number literal (never through a float)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, dict):
        return "{" + ",".join(f"{to_json(str(k))}:{to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, str | int):
        return json.dumps(value)
    raise TypeError(f"not JSON: {value!r}")


def xml_value(text: str | bytes, arrays: frozenset[str] = frozenset()) -> tuple[str, object]:
    """Parse an XML payload into (root name, value): elements become dicts, leaves text, and the
    element names in `arrays` lists (§12: arrays repeat the element with the key's name)."""
    root = ElementTree.fromstring(text)
    return root.tag, _element_value(root, arrays)


def _element_value(element: Element, arrays: frozenset[str]) -> object:
    children = list(element)
    if not children:
        return element.text or ""
    value: Json = {}
    for child in children:
        item = _element_value(child, arrays)
        if child.tag in arrays:
            existing = value.setdefault(child.tag, [])
            assert isinstance(existing, list)
            existing.append(item)
        else:
            assert child.tag not in value, f"repeated element {child.tag}"
            value[child.tag] = item
    return value


def as_xml_text(value: object) -> object:
    """What a JSON value looks like once written as XML (§12): text leaves, `true`/`false`, no
    element for null or for an empty array, and an empty element for an empty object."""
    if isinstance(value, dict):
        kept = {k: as_xml_text(v) for k, v in value.items() if v is not None and v != []}
        return kept or ""
    if isinstance(value, list):
        return [as_xml_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def media_type(response: httpx.Response) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip()


@dataclass(frozen=True)
class Group:
    id: int
    name: str


@pytest.fixture(scope="session")
def private_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, next to the one the environment names:
    the sandbox wipes its tables at start-up, and others' suites may share that database."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is unset: the PostgreSQL variant is not run")
    shared = make_url(url)
    private = shared.set(database=f"{shared.database}_sandbox_{os.getpid()}")
    asyncio.run(_administer(url, f'CREATE DATABASE "{private.database}"'))
    yield private.render_as_string(hide_password=False)
    asyncio.run(_administer(url, f'DROP DATABASE IF EXISTS "{private.database}" WITH (FORCE)'))


async def _administer(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return SQLITE_URL
    url = request.getfixturevalue("private_postgres_url")
    assert isinstance(url, str)
    return url


@pytest.fixture
def settings(db_url: str) -> SandboxSettings:
    return SandboxSettings(db_url=db_url)


@asynccontextmanager
async def serve(
    settings: SandboxSettings, *, set_time: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """A sandbox app with its lifespan running (which resets its tables) and a client over ASGI;
    the sandbox clock at NOW_MS unless `set_time` is false (a caller the sandbox refuses)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            # httpx sends `Accept: */*` unless told otherwise; tests of the default send none.
            del client.headers["Accept"]
            if set_time:
                await set_clock(client, NOW_MS)
            yield client


@pytest.fixture
async def client(settings: SandboxSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(settings) as sandbox_client:
        yield sandbox_client


@pytest.fixture
async def admin_token(client: httpx.AsyncClient) -> str:
    return await token_of(client, *ADMIN)


async def set_clock(client: httpx.AsyncClient, now_ms: int) -> None:
    (await client.post("/_sandbox/clock", json={"nowMs": now_ms})).raise_for_status()


async def token_of(client: httpx.AsyncClient, login: int, password: str) -> str:
    body = {"login": login, "hashedPassword": md5(password)}
    response = await client.post(f"{WEBSERV}/managers/token", json=body, headers=ACCEPT_JSON)
    assert response.status_code == 200, response.text
    token = response.json()["webservToken"]
    assert isinstance(token, str)
    return token


async def create_manager(
    client: httpx.AsyncClient,
    login: int,
    password: str,
    *,
    allowed_group_ids: list[int] | None = None,
    disabled_broker_names: list[str] | None = None,
    super_admin: bool = False,
    read_only: bool = False,
) -> str:
    """Create (or replace) a manager through the control API and return its token."""
    body = {
        "login": login,
        "password": password,
        "allowedGroupIds": allowed_group_ids or [],
        "disabledBrokerNames": disabled_broker_names or [],
        "superAdmin": super_admin,
        "readOnly": read_only,
    }
    (await client.post("/_sandbox/managers", json=body)).raise_for_status()
    return await token_of(client, login, password)


async def trader_groups(client: httpx.AsyncClient, token: str) -> list[Group]:
    response = await client.get(
        f"{WEBSERV}/tradergroups", params={"token": token}, headers=ACCEPT_JSON
    )
    assert response.status_code == 200, response.text
    items = response.json()["traderGroup"]
    assert len(items) >= 2, "the base dataset needs at least two trader groups"
    return [Group(id=item["id"], name=item["name"]) for item in items]


def trader_body(group_name: str, **overrides: object) -> Json:
    """A valid §3.1 body with every documented key set, overridable key by key."""
    body: Json = {
        "accessRights": "FULL_ACCESS",
        "accountType": "HEDGED",
        "balance": 0,
        "brokerName": "sandbox",
        "depositCurrency": "USD",
        "groupName": group_name,
        "hashedPassword": md5(TRADER_PASSWORD),
        "leverageInCents": 10000,
        "totalMarginCalculationType": "MAX",
        "contactDetails": {
            "address": "1 Spec Street",
            "city": "Limassol",
            "countryId": 196,
            "documentId": "CY-1234",
            "email": "ada@example.com",
            "phone": "+35700000000",
            "state": "Limassol",
            "zipCode": "3030",
            "introducingBroker1": "partner-1",
            "introducingBroker2": "partner-2",
        },
        "description": "created by the specification suite",
        "isLimitedRisk": False,
        "lastName": "Lovelace",
        "limitedRiskMarginCalculationStrategy": "ACCORDING_TO_LEVERAGE",
        "maxLeverage": 50000,
        "name": "Ada",
        "sendOwnStatement": True,
        "sendStatementToBroker": False,
        "swapFree": False,
    }
    body.update(overrides)
    return body


async def create_trader(client: httpx.AsyncClient, token: str, **overrides: object) -> Json:
    """Create a trader (in the first group unless `groupName` is given); return its entity."""
    group_name = overrides.pop("groupName", None) or (await trader_groups(client, token))[0].name
    body = trader_body(str(group_name), **overrides)
    response = await post_json(client, f"{WEBSERV}/traders", token, body)
    assert response.status_code == 201, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def get_trader(client: httpx.AsyncClient, token: str, login: object) -> Json:
    response = await client.get(
        f"{WEBSERV}/traders/{login}", params={"token": token}, headers=ACCEPT_JSON
    )
    assert response.status_code == 200, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def post_json(
    client: httpx.AsyncClient, path: str, token: str | None, body: object
) -> httpx.Response:
    """POST a JSON body (Decimals as exact literals) asking for JSON back."""
    params = {"token": token} if token is not None else {}
    return await client.post(
        path,
        params=params,
        content=to_json(body),
        headers={**ACCEPT_JSON, "Content-Type": "application/json"},
    )


async def change_balance(
    client: httpx.AsyncClient,
    token: str,
    login: object,
    amount: str,
    kind: str = "DEPOSIT",
    **extra: object,
) -> httpx.Response:
    body = {"login": login, "preciseAmount": Decimal(amount), "type": kind, **extra}
    return await post_json(client, f"{WEBSERV}/traders/{login}/changebalance", token, body)


async def forex_symbol(client: httpx.AsyncClient) -> str:
    """EURUSD when the base dataset has it (the grids' example symbol), else its first symbol."""
    token = await token_of(client, *ADMIN)
    response = await client.get(f"{WEBSERV}/symbols", params={"token": token}, headers=ACCEPT_JSON)
    names = [str(item["name"]) for item in response.json()["symbol"]]
    return "EURUSD" if "EURUSD" in names else names[0]


async def open_position(
    client: httpx.AsyncClient,
    login: object,
    *,
    symbol: str | None = None,
    direction: str = "BUY",
    volume: str = "1000",
    entry_price: str = "1.18657",
) -> int:
    """Make trading happen through the control API; answers the new position's id."""
    body = {
        "login": login,
        "symbol": symbol or await forex_symbol(client),
        "direction": direction,
        "volume": Decimal(volume),
        "entryPrice": Decimal(entry_price),
    }
    response = await post_json(client, "/_sandbox/positions", None, body)
    response.raise_for_status()
    position_id = response.json()["positionId"]
    assert isinstance(position_id, int)
    return position_id


async def close_position(
    client: httpx.AsyncClient, position_id: int, *, close_price: str, volume: str | None = None
) -> None:
    body: Json = {"closePrice": Decimal(close_price)}
    if volume is not None:
        body["volume"] = Decimal(volume)
    response = await post_json(client, f"/_sandbox/positions/{position_id}/close", None, body)
    response.raise_for_status()


# The required set of §4 whose values a test cannot derive: the Rust client's TraderModel fields
# (legacy IB settings), checked for presence and type.
LEGACY_TRADER_FIELDS: Json = {
    "minEquityDaily": ANY_INT,
    "maxEquityDaily": ANY_INT,
    "introducingBroker": ANY_BOOL,
    "introducingBrokerCommissionRate": ANY_NUMBER,
    "pocketCommissionRate": ANY_NUMBER,
    "pocketMarkupRate": ANY_NUMBER,
    "defaultIntroducingBrokerCommissionRate": ANY_NUMBER,
    "defaultPocketCommissionRate": ANY_NUMBER,
    "defaultPocketMarkupRate": ANY_NUMBER,
    "defaultRebateRate": ANY_NUMBER,
    "defaultSplitRevenue": ANY_BOOL,
    "splitRevenue": ANY_BOOL,
    "frenchRisk": ANY_BOOL,
    "defaultIbCommissionsType": OneOf("USD_PER_LOT", "USD_PER_MILLION_USD"),
    "ibCommissionsType": OneOf("USD_PER_LOT", "USD_PER_MILLION_USD"),
}


def expected_trader(
    body: Mapping[str, object],
    login: object,
    *,
    money_digits: int = 2,
    registered_ms: int = NOW_MS,
    updated_ms: int | None = None,
) -> Json:
    """The whole §4 entity a trader created from `body` must show, with no position and no money
    movement: every key sent comes back (but never the password hash), money fields are derived
    from the scaled `balance`, timestamps are the sandbox clock at creation / last update."""
    balance = int(str(body["balance"]))
    sent = {key: value for key, value in body.items() if key != "hashedPassword"}
    return {
        **sent,
        **LEGACY_TRADER_FIELDS,
        "login": login,
        "hashedPassword": ABSENT,
        "balance": balance,
        "bonus": 0,
        "nonWithdrawableBonus": 0,
        "equity": balance,
        "cashEquity": balance,
        "usedMargin": 0,
        "freeMargin": balance,
        "moneyDigits": money_digits,
        "limitedRisk": body["isLimitedRisk"],
        "registrationTimestamp": At(registered_ms),
        "lastUpdateTimestamp": At(registered_ms if updated_ms is None else updated_ms),
    }


def to_xml(root: str, value: Mapping[str, object]) -> str:
    """An XML request body: elements named after the JSON keys, arrays as repeated elements."""
    return f"<{root}>{_xml_children(value)}</{root}>"


def _xml_children(value: Mapping[str, object]) -> str:
    parts: list[str] = []
    for key, item in value.items():
        for element in item if isinstance(item, list) else [item]:
            parts.append(f"<{key}>{_xml_text(element)}</{key}>")
    return "".join(parts)


def _xml_text(value: object) -> str:
    if isinstance(value, Mapping):
        return _xml_children(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
