"""`GET /_sandbox/openapi.json`: an OpenAPI 3.1 document of the emulated API, built from the route
table (so every emulated path is listed) and the status choices of §12."""

from __future__ import annotations

from sandbox import urls
from sandbox.entity import FIELDS
from sandbox.grids import CLOSED_COLUMNS, OPEN_COLUMNS
from sandbox.jsonvalue import Json, JsonObject

# handler name -> (summary, success status, response schema name or None for no body)
OPERATIONS: dict[str, tuple[str, int, str | None]] = {
    "create_token": ("Create a manager token", 200, "Token"),
    "create_trader": ("Create a trader", 201, "Trader"),
    "list_trader_page": ("List traders registered in a window, newest first", 200, "TraderList"),
    "get_trader": ("Read a trader", 200, "Trader"),
    "put_trader": ("Update all fields of a trader", 204, None),
    "patch_trader": ("Update some fields of a trader", 204, None),
    "delete_trader": ("Delete a trader", 204, None),
    "get_subaccounts": ("Copy sub-accounts of a trader", 200, "SubAccounts"),
    "change_balance": ("Deposit or withdraw funds or credit", 200, "BalanceChange"),
    "change_bonus": ("Deposit or withdraw bonus", 200, "BonusChange"),
    "change_password": ("Set a trader's password", 204, None),
    "check_password": ("Verify a trader's password", 204, None),
    "trader_groups": ("List trader groups", 200, "TraderGroupList"),
    "open_positions": ("Open positions grid (CSV, or JSON on request)", 200, "OpenPositions"),
    "closed_positions": ("Closed positions grid (CSV, or JSON on request)", 200, "ClosedPositions"),
    "symbols": ("List symbols", 200, "SymbolList"),
    "deposit_assets": ("List deposit assets", 200, "DepositAssetList"),
    "list_attributes": ("List attributes", 200, "AttributeList"),
    "upsert_attributes": ("Add or modify attributes", 200, "Empty"),
    "delete_attributes": ("Delete attributes", 200, "Empty"),
    "create_ctid": ("Create a cTrader ID user (idempotent by email)", 200, "User"),
    "link_trader": ("Link a trader to a cTrader ID user", 200, "Link"),
    "change_white_label": ("Move a trader to another white label", 204, None),
}

QUERY: dict[str, list[tuple[str, bool, str]]] = {
    "list_trader_page": [
        ("from", True, "yyyy-MM-ddTHH:mm:ss.SSS UTC, inclusive"),
        ("to", True, "yyyy-MM-ddTHH:mm:ss.SSS UTC, exclusive"),
        ("dealFrom", False, "with dealTo: last deal at/after"),
        ("dealTo", False, "with dealFrom: last deal before"),
        ("fields", False, "comma-separated keys to return"),
        ("groupId", False, "only this group"),
        ("hasOpenPositions", False, "true/false"),
    ],
    "open_positions": [("login", False, "one trader")],
    "closed_positions": [
        ("from", True, "close time from, yyyy-MM-ddTHH:mm:ss.SSS UTC"),
        ("to", True, "close time to (at most 2 days after from)"),
        ("login", False, "one trader"),
    ],
}


def _ref(name: str) -> JsonObject:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Json], required: list[str] | None = None) -> JsonObject:
    schema: JsonObject = {"type": "object", "properties": props}
    if required:
        schema["required"] = list[Json](required)
    return schema


INT: JsonObject = {"type": "integer"}
STR: JsonObject = {"type": "string"}
BOOL: JsonObject = {"type": "boolean"}
ANY: JsonObject = {}


def _schemas() -> JsonObject:
    grid_open: JsonObject = {"type": "array", "items": _obj(dict.fromkeys(OPEN_COLUMNS, ANY))}
    grid_closed: JsonObject = {"type": "array", "items": _obj(dict.fromkeys(CLOSED_COLUMNS, ANY))}
    pairs: JsonObject = {"type": "array", "items": _obj({"name": STR, "value": STR})}
    return {
        "Error": _obj(
            {"error": _obj({"errorCode": STR, "description": STR}, ["errorCode", "description"])},
            ["error"],
        ),
        "Token": _obj({"webservToken": STR}, ["webservToken"]),
        "Trader": _obj(dict.fromkeys(FIELDS, ANY), ["login"]),
        "TraderList": _obj(
            {"trader": {"type": "array", "items": _ref("Trader")}, "hasMore": BOOL},
            ["trader", "hasMore"],
        ),
        "SubAccounts": _obj(
            {
                "subAccountLogins": _obj({"login": {"type": "array", "items": INT}}),
                "totalSubAccountsBalance": INT,
                "totalSubAccountsEquity": INT,
            }
        ),
        "BalanceChange": _obj({"balanceHistoryId": INT}, ["balanceHistoryId"]),
        "BonusChange": _obj({"bonusHistoryId": INT}, ["bonusHistoryId"]),
        "TraderGroupList": _obj(
            {"traderGroup": {"type": "array", "items": _obj({"id": INT, "name": STR})}}
        ),
        "OpenPositions": grid_open,
        "ClosedPositions": grid_closed,
        "SymbolList": _obj({"symbol": {"type": "array", "items": _obj({"name": STR, "id": INT})}}),
        "DepositAssetList": _obj({"depositAsset": {"type": "array", "items": STR}}),
        "AttributeList": _obj({"nextCursor": INT}),
        "AttributePairs": pairs,
        "Empty": _obj({}),
        "User": _obj({"userId": INT, "nickname": STR, "email": STR}, ["userId"]),
        "Link": _obj({"ctidTraderAccountId": INT}),
    }


def _operation(name: str, path: str, method: str) -> JsonObject:
    summary, status, schema = OPERATIONS[name]
    params: list[Json] = []
    if "{login}" in path:
        params.append({"name": "login", "in": "path", "required": True, "schema": INT})
    for param, required, description in QUERY.get(name, []):
        params.append(
            {
                "name": param,
                "in": "query",
                "required": required,
                "description": description,
                "schema": STR,
            }
        )
    if name != "create_token":
        params.append({"name": "token", "in": "query", "required": True, "schema": STR})
    types = (
        ["application/json", "application/xml"] if path.startswith("/v2/") else ["application/json"]
    )
    success: JsonObject = {"description": summary}
    if schema is not None:
        success["content"] = _content(types, _ref(schema))
    if name in ("open_positions", "closed_positions"):
        success["content"] = {
            "text/csv": {"schema": STR},
            "application/json": {"schema": _ref(schema or "")},
        }
    error: JsonObject = {
        "description": "error (§1.8, statuses of §12)",
        "content": _content(types, _ref("Error")),
    }
    operation: JsonObject = {
        "operationId": name,
        "summary": summary,
        "parameters": params,
        "responses": {str(status): success, "default": error},
    }
    if method not in ("GET", "DELETE"):
        operation["requestBody"] = {
            "required": True,
            "content": _content(types, {"type": "object"}),
        }
    return operation


def _content(types: list[str], schema: JsonObject) -> JsonObject:
    return {media: {"schema": schema} for media in types}


def document() -> JsonObject:
    paths: dict[str, JsonObject] = {}
    seen: dict[str, int] = {}
    for method, path, handler in [*urls.WEBSERV, *urls.CID]:
        template = path.replace("{login:int}", "{login}")
        item = paths.setdefault(template, {})
        operation = _operation(handler.__name__, template, method)
        count = seen.get(handler.__name__, 0)
        seen[handler.__name__] = count + 1
        operation["operationId"] = f"{handler.__name__}{count or ''}"
        item[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "cTrader WebServices API (tradergraph sandbox)", "version": "2"},
        "paths": dict[str, Json](paths),
        "components": {"schemas": _schemas()},
    }
