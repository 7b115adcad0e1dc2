"""Every other endpoint against the sandbox: reference data, passwords, attributes, cTID."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from pydantic import SecretStr

from tests.upstream.scene import NOW_MS, TRADER_PASSWORD, Scene, new_trader
from upstream.client import WebServicesClient
from upstream.enums import AccessRights, BonusChangeType, CtidStatus
from upstream.errors import AlreadyLinked, TraderNotFound
from upstream.inputs import (
    AttributeQuery,
    AttributeUpsert,
    BonusChangeRequest,
    LinkRequest,
    NewCtid,
    TraderReplacement,
)
from upstream.records import (
    Attribute,
    AttributePage,
    CtidUser,
    EntityAttributes,
    ExistingCtid,
    SubAccounts,
)
from upstream.times import from_epoch_ms


async def test_json_and_xml_list_the_same_reference_data(
    scene: Scene, upstream_client: WebServicesClient, xml_client: WebServicesClient
) -> None:
    in_json = (
        await upstream_client.trader_groups(),
        await upstream_client.symbols(),
        await upstream_client.deposit_assets(),
    )

    in_xml = (
        await xml_client.trader_groups(),
        await xml_client.symbols(),
        await xml_client.deposit_assets(),
    )

    assert in_xml == in_json


async def test_the_deposit_assets_are_the_documented_five(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    assert sorted(await upstream_client.deposit_assets()) == ["BTC", "EUR", "GBP", "JPY", "USD"]


async def test_a_trader_without_sub_accounts_has_none_in_json_and_xml(
    scene: Scene, upstream_client: WebServicesClient, xml_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login

    answers = (await upstream_client.sub_accounts(login), await xml_client.sub_accounts(login))

    assert answers == (SubAccounts((), Decimal(0), Decimal(0)),) * 2


async def test_the_password_set_is_the_password_checked(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login

    await upstream_client.change_password(login, SecretStr("new-secret"))

    checks = (
        await upstream_client.check_password(login, SecretStr("new-secret")),
        await upstream_client.check_password(login, TRADER_PASSWORD),
    )
    assert checks == (True, False)


async def test_a_bonus_moves_the_bonus(scene: Scene, xml_client: WebServicesClient) -> None:
    login = (await xml_client.create_trader(new_trader())).login

    await xml_client.change_bonus(
        login, BonusChangeRequest(BonusChangeType.DEPOSIT, Decimal("7.25"))
    )

    assert (await xml_client.get_trader(login)).bonus == Decimal("7.25")


async def test_a_replaced_trader_reads_back_replaced(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    before = await upstream_client.create_trader(new_trader())
    replacement = TraderReplacement(
        access_rights=AccessRights.CLOSE_ONLY,
        group_name="Professional USD",
        leverage=Decimal(50),
        broker_name="sandbox",
    )

    await upstream_client.replace_trader(before.login, replacement)

    after = await upstream_client.get_trader(before.login)
    assert (after.access_rights, after.group_name, after.leverage) == (
        AccessRights.CLOSE_ONLY,
        "Professional USD",
        Decimal(50),
    )


async def test_a_deleted_trader_is_not_found(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login

    await upstream_client.delete_trader(login)

    with pytest.raises(TraderNotFound) as caught:
        await upstream_client.get_trader(login)
    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        404,
        "TRADER_NOT_FOUND",
        f"404 TRADER_NOT_FOUND: Trader {login} not found (GET /v2/webserv/traders/{{login}})",
    )


async def test_trader_attributes_upserted_are_listed(
    scene: Scene, xml_client: WebServicesClient
) -> None:
    login = (await xml_client.create_trader(new_trader())).login
    pairs = (Attribute("kyc", "passed"), Attribute("tier", "gold"))

    await xml_client.upsert_trader_attributes([AttributeUpsert(login, pairs)])

    assert await xml_client.trader_attributes([login]) == AttributePage(
        entries=(EntityAttributes(login, pairs, from_epoch_ms(NOW_MS)),), next_cursor=None
    )


async def test_attributes_deleted_by_name_are_gone(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    await upstream_client.upsert_group_attributes(
        [AttributeUpsert(2, (Attribute("desk", "eu"), Attribute("risk", "low")))]
    )

    await upstream_client.delete_group_attributes([2], ["risk"])

    assert await upstream_client.group_attributes([2], AttributeQuery()) == (
        EntityAttributes(2, (Attribute("desk", "eu"),), from_epoch_ms(NOW_MS)),
    )


async def test_manager_attributes_filter_by_name(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    await upstream_client.upsert_manager_attributes(
        [AttributeUpsert(1001, (Attribute("Team", "ops"), Attribute("shift", "night")))]
    )

    listed = await upstream_client.manager_attributes([1001], AttributeQuery(name_filter="team"))

    assert listed == (EntityAttributes(1001, (Attribute("Team", "ops"),), from_epoch_ms(NOW_MS)),)


async def test_a_new_email_creates_a_new_ctid_and_a_known_one_answers_its_id(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    created = await upstream_client.create_ctid(NewCtid("ada@example.com", "sandbox", "en"))
    again = await upstream_client.create_ctid(NewCtid("ada@example.com"))

    assert isinstance(created, CtidUser)
    assert (created, again) == (
        CtidUser(
            user_id=created.user_id,
            nickname=f"ctid{created.user_id}",
            email="ada@example.com",
            preferred_language="en",
            utc_create_timestamp=from_epoch_ms(NOW_MS),
            status=CtidStatus.CTID_NEW,
        ),
        ExistingCtid(created.user_id),
    )


async def test_a_trader_links_once(scene: Scene, upstream_client: WebServicesClient) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    user = await upstream_client.create_ctid(NewCtid("grace@example.com"))
    link = LinkRequest(login, TRADER_PASSWORD, user.user_id, "sandbox", "demo")
    await upstream_client.link_trader(link)

    with pytest.raises(AlreadyLinked) as caught:
        await upstream_client.link_trader(link)

    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        400,
        "TRADER_ALREADY_LINKED",
        f"400 TRADER_ALREADY_LINKED: Trader {login} is already linked (POST /cid/ctid/link)",
    )


async def test_a_trader_moved_to_another_white_label_reads_back_moved(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    before = await upstream_client.create_trader(new_trader())

    await upstream_client.move_to_white_label(before.login, "borealis-fx", "demo")

    after = await upstream_client.get_trader(before.login)
    assert after == dataclasses.replace(
        before, broker_name="borealis-fx", last_update_timestamp=after.last_update_timestamp
    )


async def test_trader_attributes_page_by_cursor(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    logins = [(await upstream_client.create_trader(new_trader())).login for _ in range(3)]
    pair = (Attribute("tier", "gold"),)
    await upstream_client.upsert_trader_attributes([AttributeUpsert(x, pair) for x in logins])

    first = await upstream_client.trader_attributes(limit=2)
    rest = await upstream_client.trader_attributes(limit=2, cursor=first.next_cursor)

    stamp = from_epoch_ms(NOW_MS)
    assert (first, rest) == (
        AttributePage(tuple(EntityAttributes(x, pair, stamp) for x in logins[:2]), 2),
        AttributePage((EntityAttributes(logins[2], pair, stamp),), None),
    )


async def test_attributes_unchanged_since_a_moment_are_left_out(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    await upstream_client.upsert_group_attributes([AttributeUpsert(1, (Attribute("a", "b"),))])

    later = AttributeQuery(changed_since=from_epoch_ms(NOW_MS + 1))
    assert await upstream_client.group_attributes([1], later) == ()
