"""A partner key sees the traders that name its partner and nothing else, on every path; it never
reaches money, and a read-only key runs no mutation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette

from auth.secrets import digest
from auth.store import KeyStore
from schema.node import global_id
from store.cli import import_users
from store.db import create_tables, make_engine
from store.users_csv import parse_users_csv
from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire, refused, wire_on

PARTNER = "IB-7001"


@dataclass(frozen=True)
class Portal:
    wire: Wire
    own: int
    foreign: int
    own_user: int
    foreign_user: int


async def partner_key(tmp_path: Path, partner: str) -> str:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    try:
        await create_tables(engine)
        return await KeyStore(engine).create(partner, read_only=True)
    finally:
        await engine.dispose()


@pytest.fixture
async def portal(sandbox: Starlette, upstream: Upstream, tmp_path: Path) -> AsyncIterator[Portal]:
    own = await upstream.create_trader(partner=PARTNER)
    foreign = await upstream.create_trader(partner="IB-7002")
    own_user = await upstream.link_user(own, "own@example.com")
    foreign_user = await upstream.link_user(foreign, "foreign@example.com")
    database = f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
    await import_users(parse_users_csv(await upstream.users_csv()), database)
    key = await partner_key(tmp_path, PARTNER)
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        await upstream.reset_calls()
        yield Portal(wire.as_bearer(key), own, foreign, own_user, foreign_user)


async def test_the_partner_lists_only_its_traders(portal: Portal) -> None:
    answer = await portal.wire.post("{ traders(first: 500) { edges { node { login } } } }")

    edges = [{"node": {"login": portal.own}}]
    assert answer == Answer(200, {"data": {"traders": {"edges": edges}}})


async def test_a_foreign_trader_by_login_is_null(portal: Portal) -> None:
    answer = await portal.wire.post(f"{{ trader(login: {portal.foreign}) {{ login }} }}")

    assert answer == Answer(200, {"data": {"trader": None}})


async def test_a_foreign_trader_by_node_id_is_null(portal: Portal) -> None:
    node = global_id("Trader", portal.foreign)

    answer = await portal.wire.post(f'{{ node(id: "{node}") {{ id }} }}')

    assert answer == Answer(200, {"data": {"node": None}})


async def test_the_partner_sees_its_own_trader_by_login(portal: Portal) -> None:
    answer = await portal.wire.post(f"{{ trader(login: {portal.own}) {{ login }} }}")

    assert answer == Answer(200, {"data": {"trader": {"login": portal.own}}})


async def test_another_partners_traders_are_empty(portal: Portal) -> None:
    query = '{ partner(id: "IB-7002") { traders(first: 50) { edges { node { login } } } } }'

    answer = await portal.wire.post(query)

    assert answer == Answer(200, {"data": {"partner": None}})


async def test_a_white_labels_traders_are_only_the_partners(portal: Portal) -> None:
    query = '{ whiteLabel(name: "sandbox") { traders(first: 500) { edges { node { login } } } } }'

    answer = await portal.wire.post(query)

    edges = [{"node": {"login": portal.own}}]
    assert answer == Answer(200, {"data": {"whiteLabel": {"traders": {"edges": edges}}}})


async def test_a_foreign_user_is_null(portal: Portal) -> None:
    answer = await portal.wire.post(f"{{ user(id: {portal.foreign_user}) {{ email }} }}")

    assert answer == Answer(200, {"data": {"user": None}})


async def test_the_partners_user_lists_only_the_partners_traders(portal: Portal) -> None:
    query = f"{{ user(id: {portal.own_user}) {{ email traders {{ login }} }} }}"

    answer = await portal.wire.post(query)

    user = {"email": "own@example.com", "traders": [{"login": portal.own}]}
    assert answer == Answer(200, {"data": {"user": user}})


async def test_a_foreign_user_by_node_id_is_null(portal: Portal) -> None:
    node = global_id("User", portal.foreign_user)

    answer = await portal.wire.post(f'{{ node(id: "{node}") {{ id }} }}')

    assert answer == Answer(200, {"data": {"node": None}})


async def test_a_money_mutation_is_refused(portal: Portal, upstream: Upstream) -> None:
    move = f'{{login: {portal.own}, amount: "1", idempotencyKey: "k"}}'

    answer = await portal.wire.post(f"mutation {{ deposit(input: {move}) {{ __typename }} }}")

    message = "Partner keys have no access to money movements."
    assert answer == Answer(200, refused("FORBIDDEN", message))
    assert await upstream.calls() == {}


async def test_money_movements_are_refused(portal: Portal) -> None:
    answer = await portal.wire.post("{ moneyMovements(first: 5) { edges { cursor } } }")

    message = "Partner keys have no access to money movements."
    assert answer == Answer(200, refused("FORBIDDEN", message))


async def test_a_money_mutation_hidden_in_a_fragment_is_refused(portal: Portal) -> None:
    move = f'{{login: {portal.own}, amount: "1", idempotencyKey: "k"}}'
    query = (
        f"mutation {{ ...M }} fragment M on Mutation {{ deposit(input: {move}) {{ __typename }} }}"
    )

    answer = await portal.wire.post(query)

    message = "Partner keys have no access to money movements."
    assert answer == Answer(200, refused("FORBIDDEN", message))


async def test_a_read_only_key_runs_no_mutation(portal: Portal, upstream: Upstream) -> None:
    query = f"mutation {{ deleteTrader(input: {{login: {portal.own}}}) {{ __typename }} }}"

    answer = await portal.wire.post(query)

    assert answer == Answer(200, refused("FORBIDDEN", "Read-only callers may not run mutations."))
    assert await upstream.calls() == {}


async def test_a_configured_key_is_known_by_its_digest(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    own = await upstream.create_trader(partner=PARTNER)
    keys = {digest("tgk_configured"): {"partner": PARTNER}}

    async with wire_on(sandbox, tmp_path, default_caller=False, partner_keys=keys) as wire:
        answer = await wire.as_bearer("tgk_configured").post(
            "{ traders(first: 500) { edges { node { login } } } }"
        )

    edges = [{"node": {"login": own}}]
    assert answer == Answer(200, {"data": {"traders": {"edges": edges}}})


async def test_the_partner_sees_positions_of_its_own_trader_only(
    portal: Portal, upstream: Upstream
) -> None:
    await upstream.open_position(portal.own, symbol="EURUSD")
    await upstream.open_position(portal.foreign, symbol="GBPUSD")
    query = "{ traders(first: 500) { edges { node { login openPositions { symbol } } } } }"

    answer = await portal.wire.post(query)

    node = {"login": portal.own, "openPositions": [{"symbol": "EURUSD"}]}
    assert answer == Answer(200, {"data": {"traders": {"edges": [{"node": node}]}}})
