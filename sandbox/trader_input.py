"""Reading the writable fields of a trader from a create, PUT or PATCH body (§3.1, §3.5, §3.6).

PUT resets every omitted mutable field to its default; PATCH touches only the keys it carries and
merges `contactDetails` key by key. `accountType`, `balance`, `depositCurrency` and `brokerName`
are set at creation only: PUT and PATCH ignore them (balance moves through changebalance, the white
label through /cid/ctid/changeCtidTraderAccount).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models
from sandbox.body import Body
from sandbox.entity import CONTACT_KEYS
from sandbox.exceptions import BusinessError, InvalidRequest

ACCESS_RIGHTS = ("FULL_ACCESS", "CLOSE_ONLY", "NO_TRADING", "NO_LOGIN")
ACCOUNT_TYPES = ("HEDGED", "NETTED", "SPREAD_BETTING")
MARGIN_TYPES = ("MAX", "SUM", "NET")
LIMITED_RISK_STRATEGIES = (
    "ACCORDING_TO_LEVERAGE",
    "ACCORDING_TO_GSL",
    "ACCORDING_TO_GSL_AND_LEVERAGE",
)
LIFETIME_TYPES = ("UNLIMITED", "LIMITED_INACTIVITY", "LIMITED_CREATION", "LIMITED_CREATION_FREE")
_MD5 = re.compile(r"^[0-9a-fA-F]{32}$")

Values = dict[str, object]

# key -> (column, default on PUT)
_TEXT = {"name": "name", "lastName": "last_name", "description": "description"}
_FLAGS = {
    "isLimitedRisk": "is_limited_risk",
    "sendOwnStatement": "send_own_statement",
    "sendStatementToBroker": "send_statement_to_broker",
    "swapFree": "swap_free",
}


def password_hash(body: Body, key: str = "hashedPassword") -> str:
    value = body.req_str(key)
    if not _MD5.match(value):
        raise InvalidRequest(f"'{key}' must be an MD5 hex digest")
    return value.lower()


async def group_id(connection: AsyncConnection, name: str) -> int:
    query = select(models.trader_groups.c.id).where(models.trader_groups.c.name == name)
    found = (await connection.execute(query)).scalar()
    if found is None:
        raise BusinessError("TRADER_GROUP_NOT_FOUND", f"Trader group '{name}' not found")
    return int(found)


def mutable_values(body: Body, *, partial: bool) -> Values:
    """Columns for the mutable fields; `partial` (PATCH) keeps only the keys present."""
    values: Values = {}
    required = not partial
    values["access_rights"] = body.enum("accessRights", ACCESS_RIGHTS, required=required)
    values["leverage_in_cents"] = _positive(body, "leverageInCents", required)
    values["max_leverage"] = _positive(body, "maxLeverage", False)
    values["total_margin_calculation_type"] = body.enum(
        "totalMarginCalculationType", MARGIN_TYPES
    ) or (None if partial else "MAX")
    values["limited_risk_strategy"] = body.enum(
        "limitedRiskMarginCalculationStrategy", LIMITED_RISK_STRATEGIES
    )
    for key, column in _TEXT.items():
        values[column] = body.opt_str(key)
    for key, column in _FLAGS.items():
        flag = body.opt_bool(key)
        values[column] = flag if flag is not None or partial else False
    values.update(_contact_values(body, partial=partial))
    if body.has("hashedPassword"):
        values["password_hash"] = password_hash(body)
    return {k: v for k, v in values.items() if v is not None} if partial else values


def _contact_values(body: Body, *, partial: bool) -> Values:
    contact = body.obj("contactDetails")
    if contact is None:
        return {} if partial else dict.fromkeys(CONTACT_KEYS.values())
    values: Values = {}
    for key, column in CONTACT_KEYS.items():
        if key == "countryId":
            values[column] = _country(contact)
        else:
            values[column] = contact.opt_str(key)
    return values


def _country(contact: Body) -> int | None:
    """ISO 3166-1 numeric ids run 4..894; an empty value is an error, as on the real server."""
    country = contact.opt_int("countryId")
    if country is not None and not 0 < country < 1000:
        raise InvalidRequest("'countryId' must be a numeric country id")
    return country


def _positive(body: Body, key: str, required: bool) -> int | None:
    value = body.opt_int(key, required=required)
    if value is not None and value <= 0:
        raise InvalidRequest(f"'{key}' must be positive")
    return value


def creation_balance(body: Body, currency: str) -> int:
    """The scaled start balance; docs send it as a number or a numeric string such as "00"."""
    balance = body.req_int("balance")
    if not 0 <= balance < 2**62:
        raise InvalidRequest("'balance' must not be negative")
    if currency == "JPY" and balance % 100:
        raise InvalidRequest("A JPY balance must end in 00")
    return balance
