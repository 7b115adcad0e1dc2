"""Root fields besides `trader` and `traders`: node, white labels, partners, users, reference."""

from __future__ import annotations

import base64
from pathlib import Path

from starlette.applications import Starlette

from store.cli import import_users
from store.users_csv import parse_users_csv
from tests.resolvers.harness import Graph, Json, Upstream, service_on, service_settings


def _data(result: Json) -> Json:
    data = result["data"]
    assert isinstance(data, dict)
    return data


async def test_a_trader_is_refetched_by_its_global_id(graph: Graph, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    found = _data(await graph.query("query ($l: Int!) { trader(login: $l) { id } }", l=login))
    trader = found["trader"]
    assert isinstance(trader, dict)
    query = "query ($id: ID!) { node(id: $id) { id ... on Trader { login } } }"
    assert await graph.query(query, id=trader["id"]) == {
        "data": {"node": {"id": trader["id"], "login": login}}
    }


async def test_a_global_id_of_an_unknown_type_is_null(graph: Graph) -> None:
    unknown = base64.b64encode(b"Spaceship:1").decode()
    assert await graph.query("query ($id: ID!) { node(id: $id) { id } }", id=unknown) == {
        "data": {"node": None}
    }


async def test_a_malformed_global_id_is_refused(graph: Graph) -> None:
    result = await graph.query('{ node(id: "not base64!") { id } }')
    errors = result["errors"]
    assert isinstance(errors, list)
    assert (result["data"], errors[0]["message"], errors[0]["extensions"]["code"]) == (
        {"node": None},
        "Invalid node id 'not base64!'.",
        "BAD_USER_INPUT",
    )


async def test_white_labels_are_the_configured_ones(graph: Graph) -> None:
    assert await graph.query("{ whiteLabels { name environment jurisdiction } }") == {
        "data": {
            "whiteLabels": [
                {"name": "atlas-markets", "environment": "demo", "jurisdiction": "AU"},
                {"name": "borealis-fx", "environment": "demo", "jurisdiction": "SC"},
                {"name": "sandbox", "environment": "demo", "jurisdiction": "CY"},
            ]
        }
    }


async def test_a_white_label_lists_its_own_traders(graph: Graph, upstream: Upstream) -> None:
    atlas = [await upstream.create_trader(broker="atlas-markets") for _ in range(2)]
    await upstream.create_trader(broker="sandbox")
    query = '{ whiteLabel(name: "atlas-markets") { name traders { edges { node { login } } } } }'
    assert await graph.query(query) == {
        "data": {
            "whiteLabel": {
                "name": "atlas-markets",
                "traders": {"edges": [{"node": {"login": login}} for login in atlas]},
            }
        }
    }


async def test_an_unconfigured_white_label_is_null(graph: Graph) -> None:
    assert await graph.query('{ whiteLabel(name: "nowhere") { name } }') == {
        "data": {"whiteLabel": None}
    }


async def test_a_partner_lists_the_traders_attributed_to_it(
    graph: Graph, upstream: Upstream
) -> None:
    mine = [await upstream.create_trader(partner="ib-42") for _ in range(2)]
    await upstream.create_trader(partner="ib-7")
    query = '{ partner(id: "ib-42") { partnerId traders { edges { node { login } } } } }'
    assert await graph.query(query) == {
        "data": {
            "partner": {
                "partnerId": "ib-42",
                "traders": {"edges": [{"node": {"login": login}} for login in mine]},
            }
        }
    }


async def test_a_partner_no_trader_names_is_null(graph: Graph, upstream: Upstream) -> None:
    await upstream.create_trader(partner="ib-7")
    assert await graph.query('{ partner(id: "ib-0") { partnerId } }') == {"data": {"partner": None}}


async def test_a_user_lists_its_linked_traders(
    graph: Graph, upstream: Upstream, tmp_path: Path
) -> None:
    logins = [await upstream.create_trader() for _ in range(2)]
    user_id = await upstream.link_user(logins[0], "hopper@example.com")
    export = parse_users_csv(await upstream.users_csv())
    await import_users(export, service_settings(tmp_path).database_url)
    query = "query ($id: Int!) { user(id: $id) { userId email nickname traders { login } } }"
    assert await graph.query(query, id=user_id) == {
        "data": {
            "user": {
                "userId": user_id,
                "email": "hopper@example.com",
                "nickname": f"ctid{user_id}",
                "traders": [{"login": logins[0]}],
            }
        }
    }


async def test_an_unknown_user_is_null(graph: Graph) -> None:
    assert await graph.query("{ user(id: 404) { email } }") == {"data": {"user": None}}


async def test_trader_groups_are_the_upstreams(graph: Graph, upstream: Upstream) -> None:
    groups = await upstream.get("/v2/webserv/tradergroups")
    assert isinstance(groups, dict)
    expected = [
        {"name": g["name"], "groupId": g["id"], "description": g.get("description")}
        for g in groups["traderGroup"]
    ]
    assert await graph.query("{ traderGroups { name groupId description } }") == {
        "data": {"traderGroups": expected}
    }


async def test_symbols_are_the_upstreams(graph: Graph, upstream: Upstream) -> None:
    symbols = await upstream.get("/v2/webserv/symbols")
    assert isinstance(symbols, dict)
    expected = [
        {"symbolId": s["id"], "name": s["name"], "assetClass": s["assetClass"]}
        for s in symbols["symbol"]
    ]
    assert await graph.query("{ symbols { symbolId name assetClass } }") == {
        "data": {"symbols": expected}
    }


async def test_deposit_assets_are_the_upstreams(graph: Graph) -> None:
    result = await graph.query("{ depositAssets }")
    data = _data(result)
    assets = data["depositAssets"]
    assert isinstance(assets, list)
    assert sorted(assets) == ["BTC", "EUR", "GBP", "JPY", "USD"]


async def test_loader_batches_are_capped(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    logins = [await upstream.create_trader() for _ in range(25)]
    settings = service_settings(tmp_path, loader_batch_size=10)
    async with service_on(sandbox, settings) as graph:
        await graph.query("{ traders(first: 1) { edges { node { login } } } }")
        await upstream.reset_calls()
        result = await graph.query("{ traders(first: 25) { edges { node { name } } } }")
    assert (result, await upstream.calls()) == (
        {"data": {"traders": {"edges": [{"node": {"name": "Ada"}}] * len(logins)}}},
        {"GET /v2/webserv/traders/": 3},
    )
