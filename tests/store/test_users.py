"""The service's record of users and links: upserts by upstream id, batched reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import create_tables, make_engine, metadata
from store.users import Link, SaveCounts, User, UserStore, links_table, users_table
from tests.support.services import POSTGRES_URL, on_postgres

ALICE = User(1, "alice@example.com", "ctid1", "en", "CTID_NEW", 1_700_000_000_000)
BOB = User(2, "bob@example.com", "ctid2", None, "CTID_ACTIVE", None)
ALICE_USD = Link(30001, 1, 7001, "sandbox", "demo")
ALICE_EUR = Link(30002, 1, 7002, "atlas-markets", "demo")


async def _fresh(engine: AsyncEngine) -> AsyncEngine:
    """Drop only this module's tables: others share the PostgreSQL database."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all, tables=[links_table, users_table])
    await create_tables(engine)
    return engine


@pytest.fixture(
    params=[
        "sqlite",
        on_postgres("postgres", id="postgres"),
    ]
)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UserStore]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"
    if request.param == "postgres":
        assert POSTGRES_URL is not None
        url = POSTGRES_URL
    engine = await _fresh(make_engine(url))
    yield UserStore(engine)
    await engine.dispose()


async def test_saving_new_users_creates_them(store: UserStore) -> None:
    assert await store.save_users([ALICE, BOB]) == SaveCounts(created=2, updated=0)


async def test_saved_users_are_read_back_by_id(store: UserStore) -> None:
    await store.save_users([ALICE, BOB])
    assert await store.users_by_id([2, 1, 99]) == {1: ALICE, 2: BOB}


async def test_saving_a_user_again_updates_it_in_place(store: UserStore) -> None:
    await store.save_users([ALICE])
    renamed = User(1, "alice@new.example.com", "alice", "fr", "CTID_ACTIVE", ALICE.created_ms)
    assert (await store.save_users([renamed]), await store.users_by_id([1])) == (
        SaveCounts(created=0, updated=1),
        {1: renamed},
    )


async def test_links_are_read_back_per_user_in_login_order(store: UserStore) -> None:
    await store.save_users([ALICE, BOB])
    await store.save_links([ALICE_EUR, ALICE_USD])
    assert await store.links_by_user([1, 2]) == {1: [ALICE_USD, ALICE_EUR]}


async def test_links_are_read_back_by_trader_login(store: UserStore) -> None:
    await store.save_users([ALICE])
    await store.save_links([ALICE_USD, ALICE_EUR])
    assert await store.links_by_login([30002, 30003]) == {30002: ALICE_EUR}


async def test_owners_are_read_back_by_trader_login_in_one_join(store: UserStore) -> None:
    await store.save_users([ALICE, BOB])
    await store.save_links([ALICE_USD, ALICE_EUR])
    assert await store.users_by_login([30002, 30001, 30003]) == {30001: ALICE, 30002: ALICE}


async def test_reading_no_keys_answers_nothing(store: UserStore) -> None:
    await store.save_users([ALICE])
    found = (await store.users_by_id([]), await store.users_by_login([]))
    assert found == ({}, {})


async def test_relinking_a_trader_moves_it_instead_of_duplicating(store: UserStore) -> None:
    await store.save_users([ALICE, BOB])
    await store.save_links([ALICE_USD])
    moved = Link(30001, 2, 7001, "sandbox", "demo")
    assert (await store.save_links([moved]), await store.links_by_user([1, 2])) == (
        SaveCounts(created=0, updated=1),
        {2: [moved]},
    )


async def test_deleting_links_forgets_only_those_traders(store: UserStore) -> None:
    await store.save_users([ALICE])
    await store.save_links([ALICE_USD, ALICE_EUR])
    gone = await store.delete_links([30001, 30099])
    assert (gone, await store.links_by_user([1])) == (1, {1: [ALICE_EUR]})


async def test_reads_of_many_ids_span_several_chunks(store: UserStore) -> None:
    users = [
        User(n, f"u{n}@example.com", f"ctid{n}", None, "CTID_NEW", None) for n in range(1, 1202)
    ]
    await store.save_users(users)
    found = await store.users_by_id(list(range(1, 1202)))
    assert sorted(found.values(), key=lambda user: user.user_id) == users


async def test_saving_nothing_touches_nothing(store: UserStore) -> None:
    assert await store.save_links([]) == SaveCounts(created=0, updated=0)
