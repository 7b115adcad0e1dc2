"""The client against the real sandbox: traders, money and the list, in JSON and XML."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from structlog.testing import capture_logs

from sandbox import SandboxSettings
from tests.support.fixtures import sandbox_config
from tests.support.sandbox import SandboxTransport, running_sandbox
from tests.upstream.scene import NOW_MS, Scene, new_trader
from upstream.client import WebServicesClient
from upstream.enums import AccessRights, BalanceChangeType, TraderField, WireFormat
from upstream.errors import TraderNotFound, UpstreamError
from upstream.hooks import CallRecord
from upstream.inputs import BalanceChangeRequest, TraderPatch
from upstream.times import from_epoch_ms


def deposit(amount: str) -> BalanceChangeRequest:
    return BalanceChangeRequest(type=BalanceChangeType.DEPOSIT, amount=Decimal(amount))


async def test_json_and_xml_read_the_same_trader(
    scene: Scene, upstream_client: WebServicesClient, xml_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    await upstream_client.change_balance(login, deposit("1234567.89"))

    assert await xml_client.get_trader(login) == await upstream_client.get_trader(login)


async def test_a_created_trader_reads_back_as_created(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    created = await upstream_client.create_trader(new_trader())

    assert await upstream_client.get_trader(created.login) == created


async def test_a_deposit_of_1234567_89_reads_back_exactly(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login

    await upstream_client.change_balance(login, deposit("1234567.89"))

    assert (await upstream_client.get_trader(login)).balance == Decimal("1234567.89")


async def test_an_eight_digit_deposit_reads_back_exactly_in_xml(
    scene: Scene, xml_client: WebServicesClient
) -> None:
    login = (await xml_client.create_trader(new_trader("BTC", "Crypto BTC"))).login

    await xml_client.change_balance(login, deposit("0.12345678"))

    trader = await xml_client.get_trader(login)
    assert (trader.money_digits, trader.balance) == (8, Decimal("0.12345678"))


async def test_an_unknown_trader_is_trader_not_found(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    with pytest.raises(TraderNotFound) as caught:
        await upstream_client.get_trader(999_999)

    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        404,
        "TRADER_NOT_FOUND",
        "404 TRADER_NOT_FOUND: Trader 999999 not found (GET /v2/webserv/traders/{login})",
    )


async def test_a_patch_changes_only_what_it_names(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    before = await upstream_client.create_trader(new_trader())

    await upstream_client.patch_trader(
        before.login, TraderPatch(access_rights=AccessRights.NO_TRADING)
    )

    after = await upstream_client.get_trader(before.login)
    expected = dataclasses.replace(
        before,
        access_rights=AccessRights.NO_TRADING,
        last_update_timestamp=after.last_update_timestamp,
    )
    assert after == expected


async def test_the_list_follows_has_more_to_every_trader() -> None:
    calls: list[CallRecord] = []
    async with (
        running_sandbox(SandboxSettings(trader_list_limit=2)) as (app, base_url),
        httpx.AsyncClient(transport=SandboxTransport(app), base_url=base_url) as http,
        WebServicesClient(
            sandbox_config(base_url), transport=SandboxTransport(app), on_request=calls.append
        ) as client,
    ):
        await Scene(http).pin_clock()
        logins = await Scene(http).traders(client, 5, step_ms=1000)
        calls.clear()
        start = from_epoch_ms(NOW_MS)
        listed = await client.list_trader_summaries(start, start + timedelta(hours=1), [])

    assert ([t.login for t in listed], len(calls)) == (list(reversed(logins)), 3)


async def test_kept_summaries_are_the_listed_ones_in_json_and_in_xml() -> None:
    """`keep_trader_summaries` (the trader index's read) pages and decodes as the list does."""
    async with (
        running_sandbox(SandboxSettings(trader_list_limit=2)) as (app, base_url),
        httpx.AsyncClient(transport=SandboxTransport(app), base_url=base_url) as http,
        WebServicesClient(sandbox_config(base_url), transport=SandboxTransport(app)) as client,
        WebServicesClient(
            sandbox_config(base_url, WireFormat.XML), transport=SandboxTransport(app)
        ) as xml,
    ):
        await Scene(http).pin_clock()
        await Scene(http).traders(client, 5, step_ms=1000)
        start = from_epoch_ms(NOW_MS)
        end, fields = start + timedelta(hours=1), [TraderField.CONTACT_DETAILS]
        listed = await client.list_trader_summaries(start, end, fields)
        in_json = await client.keep_trader_summaries(start, end, fields, lambda record: record)
        in_xml = await xml.keep_trader_summaries(start, end, fields, lambda record: record)

    assert (len(listed), in_json, in_xml) == (5, list(listed), list(listed))


async def test_json_and_xml_list_the_same_summaries(
    scene: Scene, upstream_client: WebServicesClient, xml_client: WebServicesClient
) -> None:
    await scene.traders(upstream_client, 3, step_ms=10)
    start = from_epoch_ms(NOW_MS)
    fields = [TraderField.BALANCE, TraderField.CONTACT_DETAILS, TraderField.BROKER_NAME]

    in_json = await upstream_client.list_trader_summaries(start, start + timedelta(days=1), fields)
    in_xml = await xml_client.list_trader_summaries(start, start + timedelta(days=1), fields)

    assert in_xml == in_json


async def test_xml_mode_reads_the_xml_error_body(
    scene: Scene, xml_client: WebServicesClient
) -> None:
    with pytest.raises(TraderNotFound) as caught:
        await xml_client.get_trader(999_999)

    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        404,
        "TRADER_NOT_FOUND",
        "404 TRADER_NOT_FOUND: Trader 999999 not found (GET /v2/webserv/traders/{login})",
    )


async def test_the_sandbox_s_token_shows_in_no_log_line_or_error(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    drop = {"method": "POST", "path": "/v2/webserv/traders/*/changebalance", "times": 1}
    with capture_logs() as logs:
        login = (await upstream_client.create_trader(new_trader())).login
        await scene.fault(action="drop_after_commit", **drop)
        with pytest.raises(UpstreamError) as dropped:
            await upstream_client.change_balance(login, deposit("1"))
        with pytest.raises(UpstreamError) as missing:
            await upstream_client.get_trader(7)
    token = await upstream_client._tokens.current()

    shown = [f"{e.value} {e.value!r}" for e in (dropped, missing)] + [repr(logs)]
    assert [token in text for text in shown] == [False, False, False]
