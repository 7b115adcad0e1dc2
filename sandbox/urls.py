"""The emulated API's routes, exactly as upstream (§3, §12): one handler per endpoint.

The attribute routes come before `/traders/{login}`, and the list answers on both
`/v2/webserv/traders` and `/v2/webserv/traders/`.
"""

from __future__ import annotations

from starlette.routing import Route

from sandbox import responses as r
from sandbox import responses_accounts as acc
from sandbox import responses_attributes as attrs
from sandbox import responses_catalog as cat
from sandbox import responses_cid as cid
from sandbox.endpoint import Handler, endpoint
from sandbox.wire import Dialect

W = "/v2/webserv"
TRADER = W + "/traders/{login:int}"

WEBSERV: list[tuple[str, str, Handler]] = [
    ("POST", W + "/managers/token", r.create_token),
    ("POST", W + "/traders", r.create_trader),
    ("GET", W + "/traders", r.list_trader_page),
    ("GET", W + "/traders/", r.list_trader_page),
    *[
        (method, f"{W}/{kind}/attributes" + (f"/{suffix}" if suffix else ""), handler)
        for kind in ("traders", "tradergroups", "managers")
        for method, suffix, handler in attrs.HANDLERS
    ],
    ("GET", TRADER, r.get_trader),
    ("PUT", TRADER, r.put_trader),
    ("PATCH", TRADER, r.patch_trader),
    ("DELETE", TRADER, r.delete_trader),
    ("GET", TRADER + "/subaccounts", r.get_subaccounts),
    ("POST", TRADER + "/changebalance", acc.change_balance),
    ("POST", TRADER + "/changebonus", acc.change_bonus),
    ("POST", TRADER + "/changepassword", acc.change_password),
    ("POST", TRADER + "/checkpassword", acc.check_password),
    ("GET", W + "/tradergroups", cat.trader_groups),
    ("GET", W + "/openPositions", cat.open_positions),
    ("GET", W + "/closedPositions", cat.closed_positions),
    ("GET", W + "/symbols", cat.symbols),
    ("GET", W + "/depositAssets", cat.deposit_assets),
]

CID: list[tuple[str, str, Handler]] = [
    ("POST", "/cid/ctid/create", cid.create_ctid),
    ("POST", "/cid/ctid/link", cid.link_trader),
    ("POST", "/cid/ctid/changeCtidTraderAccount", cid.change_white_label),
]


def emulated_routes() -> list[Route]:
    routes = [
        Route(path, endpoint(h, Dialect.WEBSERV, auth=h is not r.create_token), methods=[m])
        for m, path, h in WEBSERV
    ]
    routes += [Route(path, endpoint(h, Dialect.JSON), methods=[m]) for m, path, h in CID]
    return routes
