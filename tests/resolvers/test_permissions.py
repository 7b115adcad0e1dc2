"""What a manager may not see: refused by the upstream for one trader, absent from lists."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from starlette.applications import Starlette

from tests.resolvers.harness import Upstream, service_on, service_settings

DESK = {"manager_login": 1002, "manager_password": SecretStr("sandbox-desk")}


async def test_a_trader_of_a_hidden_white_label_is_forbidden(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    login = await upstream.create_trader(broker="borealis-fx")
    async with service_on(sandbox, service_settings(tmp_path, **DESK)) as graph:
        result = await graph.query("query ($l: Int!) { trader(login: $l) { login } }", l=login)
    errors = result["errors"]
    assert isinstance(errors, list)
    assert result == {
        "data": {"trader": None},
        "errors": [
            {
                "message": "The manager may not see this (GET /v2/webserv/traders/{login}).",
                "locations": [{"line": 1, "column": 20}],
                "path": ["trader"],
                "extensions": {
                    "code": "FORBIDDEN",
                    "upstreamCall": "GET /v2/webserv/traders/{login}",
                    "upstreamCode": "NOT_ENOUGH_RIGHTS",
                    "requestId": errors[0]["extensions"]["requestId"],
                },
            }
        ],
    }


async def test_lists_hold_only_what_the_manager_may_see(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    groups = await upstream.group_names()
    visible = await upstream.create_trader(broker="atlas-markets", group=groups[0])
    await upstream.create_trader(broker="borealis-fx", group=groups[0])
    async with service_on(sandbox, service_settings(tmp_path, **DESK)) as graph:
        result = await graph.query("{ traders { edges { node { login } } totalCount } }")
    assert result == {
        "data": {"traders": {"edges": [{"node": {"login": visible}}], "totalCount": 1}}
    }
