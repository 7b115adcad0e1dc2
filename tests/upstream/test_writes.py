"""Write calls: exact bodies on the wire (JSON and XML) and what their answers decode to."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from tests.upstream.fake import FakeTime, FakeUpstream, client_for, config, json_answer
from tests.upstream.samples import TRADER, TRADER_JSON
from upstream.client import WebServicesClient
from upstream.enums import AccessRights, AccountType, BalanceChangeType, BonusChangeType, WireFormat
from upstream.errors import OutcomeUnknown, UnreadableWriteAnswer
from upstream.inputs import (
    BalanceChangeRequest,
    BonusChangeRequest,
    LinkRequest,
    NewCtid,
    NewTrader,
    TraderPatch,
    TraderSettings,
)
from upstream.records import BalanceChange, BonusChange, ContactDetails, ExistingCtid, Link

LOGIN = 9013206
DEPOSIT = BalanceChangeRequest(
    type=BalanceChangeType.DEPOSIT,
    amount=Decimal("0.12345678"),
    comment="wire 42",
    external_id="bank-42",
    skip_margin_check=False,
)


async def test_a_balance_change_sends_the_amount_as_an_exact_json_number(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "POST",
        f"/v2/webserv/traders/{LOGIN}/changebalance",
        json_answer(200, {"balanceHistoryId": 77}),
    )

    await client.change_balance(LOGIN, DEPOSIT)

    assert fake.requests[-1].content == (
        b'{"login":9013206,"preciseAmount":0.12345678,"type":"DEPOSIT","comment":"wire 42",'
        b'"externalId":"bank-42","skipMarginCheck":false}'
    )


async def test_a_balance_change_answers_its_history_id(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "POST",
        f"/v2/webserv/traders/{LOGIN}/changebalance",
        json_answer(200, {"balanceHistoryId": 77}),
    )

    assert await client.change_balance(LOGIN, DEPOSIT) == BalanceChange(history_id=77)


async def test_xml_mode_sends_the_balance_change_as_xml(fake: FakeUpstream, time: FakeTime) -> None:
    fake.on(
        "POST",
        f"/v2/webserv/traders/{LOGIN}/changebalance",
        httpx.Response(
            200, content=b"<balanceChange><balanceHistoryId>77</balanceHistoryId></balanceChange>"
        ),
    )
    fake.on(
        "POST",
        "/v2/webserv/managers/token",
        httpx.Response(200, content=b"<token><webservToken>t</webservToken></token>"),
    )

    async with client_for(fake, time, config(WireFormat.XML)) as client:
        answer = await client.change_balance(LOGIN, DEPOSIT)

    assert (answer, fake.requests[-1].content) == (
        BalanceChange(history_id=77),
        b"<?xml version='1.0' encoding='utf-8'?>\n<balanceChange><login>9013206</login>"
        b"<preciseAmount>0.12345678</preciseAmount><type>DEPOSIT</type><comment>wire 42</comment>"
        b"<externalId>bank-42</externalId><skipMarginCheck>false</skipMarginCheck></balanceChange>",
    )


async def test_a_bonus_change_answers_its_history_id(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "POST", f"/v2/webserv/traders/{LOGIN}/changebonus", json_answer(200, {"bonusHistoryId": 5})
    )
    change = BonusChangeRequest(type=BonusChangeType.WITHDRAW, amount=Decimal("1E+3"))

    answer = await client.change_bonus(LOGIN, change)

    assert (answer, fake.body(-1)) == (
        BonusChange(history_id=5),
        {"login": LOGIN, "preciseAmount": 1000, "type": "WITHDRAW"},
    )


async def test_a_new_trader_is_sent_with_hashed_password_and_leverage_in_cents(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", "/v2/webserv/traders", json_answer(201, TRADER_JSON))
    new = NewTrader(
        access_rights=AccessRights.NO_TRADING,
        account_type=AccountType.HEDGED,
        broker_name="atlas-markets",
        deposit_currency="EUR",
        group_name="retail-eu",
        password=SecretStr("trader-secret"),
        leverage=Decimal("33.5"),
        settings=TraderSettings(contact_details=ContactDetails(introducing_broker1="p-7")),
    )

    created = await client.create_trader(new)

    assert (created, fake.body(-1)) == (
        TRADER,
        {
            "accessRights": "NO_TRADING",
            "accountType": "HEDGED",
            "balance": 0,
            "brokerName": "atlas-markets",
            "depositCurrency": "EUR",
            "groupName": "retail-eu",
            "hashedPassword": "1eaedb2267e84077f9566735c75892bb",
            "leverageInCents": 3350,
            "totalMarginCalculationType": "MAX",
            "contactDetails": {"introducingBroker1": "p-7"},
        },
    )


async def test_a_patch_sends_only_what_it_changes(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("PATCH", f"/v2/webserv/traders/{LOGIN}", httpx.Response(204))

    await client.patch_trader(
        LOGIN, TraderPatch(group_name="vip", settings=TraderSettings(swap_free=True))
    )

    assert fake.body(-1) == {"groupName": "vip", "swapFree": True}


async def test_a_known_email_answers_only_the_user_id(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", "/cid/ctid/create", json_answer(200, {"userId": 31}))

    assert await client.create_ctid(NewCtid(email="ada@example.com")) == ExistingCtid(user_id=31)


async def test_cid_calls_speak_json_even_in_xml_mode(fake: FakeUpstream, time: FakeTime) -> None:
    fake.on("POST", "/cid/ctid/link", json_answer(200, {"ctidTraderAccountId": 4}))
    fake.on(
        "POST",
        "/v2/webserv/managers/token",
        httpx.Response(200, content=b"<token><webservToken>t</webservToken></token>"),
    )
    link = LinkRequest(
        trader_login=LOGIN,
        trader_password=SecretStr("trader-secret"),
        user_id=31,
        broker_name="sandbox",
        environment_name="demo",
    )

    async with client_for(fake, time, config(WireFormat.XML)) as client:
        answer = await client.link_trader(link)

    assert (answer, fake.requests[-1].headers["content-type"], fake.body(-1)) == (
        Link(ctid_trader_account_id=4),
        "application/json",
        {
            "traderLogin": LOGIN,
            "traderPasswordHash": "1eaedb2267e84077f9566735c75892bb",
            "userId": 31,
            "brokerName": "sandbox",
            "environmentName": "demo",
            "returnAccountDetails": True,
        },
    )


async def test_a_write_answered_with_an_unreadable_body_has_an_unknown_outcome(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", f"/v2/webserv/traders/{LOGIN}/changebalance", json_answer(200, {"id": 1}))

    with pytest.raises(OutcomeUnknown) as caught:
        await client.change_balance(LOGIN, DEPOSIT)

    assert (type(caught.value), str(caught.value)) == (
        UnreadableWriteAnswer,
        "malformed answer: missing key 'balanceHistoryId'"
        " (POST /v2/webserv/traders/{login}/changebalance)",
    )
