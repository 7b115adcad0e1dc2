"""Reading traders (3.2): the request on the wire and the record decoded, in JSON and XML."""

from __future__ import annotations

import json

import httpx

from tests.upstream.fake import TOKEN, FakeTime, FakeUpstream, client_for, config, json_answer
from tests.upstream.samples import TRADER, TRADER_JSON, TRADER_XML
from upstream.client import WebServicesClient
from upstream.enums import WireFormat

TRADER_PATH = "/v2/webserv/traders/9013206"


async def test_a_trader_decodes_to_the_whole_record(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", TRADER_PATH, json_answer(200, TRADER_JSON))

    assert await client.get_trader(9013206) == TRADER


async def test_the_read_asks_for_json_with_the_token_last_in_the_query(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", TRADER_PATH, json_answer(200, TRADER_JSON))

    await client.get_trader(9013206)

    request = fake.requests[-1]
    assert (str(request.url), request.headers["accept"]) == (
        f"https://upstream.test:8443{TRADER_PATH}?token={TOKEN}",
        "application/json",
    )


async def test_xml_mode_decodes_the_same_record(fake: FakeUpstream, time: FakeTime) -> None:
    xml = httpx.Response(200, content=TRADER_XML, headers={"content-type": "application/xml"})
    fake.on("GET", TRADER_PATH, xml)
    fake.on(
        "POST",
        "/v2/webserv/managers/token",
        httpx.Response(
            200,
            content=f"<token><webservToken>{TOKEN}</webservToken></token>".encode(),
            headers={"content-type": "application/xml"},
        ),
    )

    async with client_for(fake, time, config(WireFormat.XML)) as client:
        assert await client.get_trader(9013206) == TRADER


async def test_xml_mode_asks_for_xml_and_sends_the_token_request_as_xml(
    fake: FakeUpstream, time: FakeTime
) -> None:
    fake.on("GET", TRADER_PATH, httpx.Response(200, content=TRADER_XML))
    fake.on(
        "POST",
        "/v2/webserv/managers/token",
        httpx.Response(
            200, content=f"<token><webservToken>{TOKEN}</webservToken></token>".encode()
        ),
    )

    async with client_for(fake, time, config(WireFormat.XML)) as client:
        await client.get_trader(9013206)

    token, read = fake.requests
    assert (token.content, token.headers["content-type"], read.headers["accept"]) == (
        b"<?xml version='1.0' encoding='utf-8'?>\n<token><login>1001</login>"
        b"<hashedPassword>1ce5b84053c2062d172cc939ed25d85a</hashedPassword></token>",
        "application/xml",
        "application/xml",
    )


async def test_an_eight_digit_account_keeps_every_satoshi(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    btc = TRADER_JSON | {"moneyDigits": 8, "balance": 123456789012, "depositCurrency": "BTC"}
    fake.on("GET", TRADER_PATH, json_answer(200, btc))

    trader = await client.get_trader(9013206)

    assert (str(trader.balance), str(trader.bonus)) == ("1234.56789012", "0.00001000")


async def test_the_token_request_sends_the_login_and_the_md5_of_the_password(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", TRADER_PATH, json_answer(200, TRADER_JSON))

    await client.get_trader(9013206)

    assert json.loads(fake.requests[0].content) == {
        "login": 1001,
        "hashedPassword": "1ce5b84053c2062d172cc939ed25d85a",
    }
