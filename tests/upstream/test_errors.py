"""Error answers become the error tree once: by status first (5xx), then by errorCode."""

from __future__ import annotations

import httpx
import pytest

from tests.upstream.fake import FakeUpstream, error_answer, json_answer
from upstream.client import WebServicesClient
from upstream.errors import (
    AlreadyLinked,
    BadAmount,
    BrokerNotFound,
    EmailAlreadyExists,
    GroupNotFound,
    InvalidRequest,
    IpNotAllowed,
    MalformedResponse,
    NotEnoughMoney,
    NotEnoughRights,
    RateLimited,
    ServerError,
    TraderNotFound,
    UpstreamRejected,
    UserNotFound,
    WrongPassword,
)

PATH = "/v2/webserv/traders/5"
CALL = "(GET /v2/webserv/traders/{login})"


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (400, "INVALID_REQUEST", InvalidRequest),
        (403, "IP_NOT_ALLOWED", IpNotAllowed),
        (403, "NOT_ENOUGH_RIGHTS", NotEnoughRights),
        (404, "TRADER_NOT_FOUND", TraderNotFound),
        (404, "USER_NOT_FOUND", UserNotFound),
        (400, "TRADER_GROUP_NOT_FOUND", GroupNotFound),
        (400, "CH_BROKER_NOT_FOUND", BrokerNotFound),
        (400, "CH_PLANT_INVALID", BrokerNotFound),
        (400, "NOT_ENOUGH_MONEY", NotEnoughMoney),
        (400, "CHANGE_BALANCE_BAD_AMOUNT", BadAmount),
        (400, "WRONG_PASSWORD", WrongPassword),
        (400, "TRADER_ALREADY_LINKED", AlreadyLinked),
        (400, "CH_EMAIL_ALREADY_EXISTS", EmailAlreadyExists),
        (400, "SOMETHING_NEW", UpstreamRejected),
    ],
)
async def test_each_code_has_its_exception(
    fake: FakeUpstream,
    client: WebServicesClient,
    status: int,
    code: str,
    kind: type[UpstreamRejected],
) -> None:
    fake.on("GET", PATH, error_answer(status, code, "what went wrong"))

    with pytest.raises(UpstreamRejected) as caught:
        await client.get_trader(5)

    assert (type(caught.value), caught.value.status, caught.value.code, str(caught.value)) == (
        kind,
        status,
        code,
        f"{status} {code}: what went wrong {CALL}",
    )


async def test_a_write_refused_for_rate_carries_retry_after(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    answer = error_answer(429, "REQUEST_FREQUENCY_EXCEEDED", "too many")
    answer.headers["Retry-After"] = "120"
    fake.on("DELETE", PATH, answer)

    with pytest.raises(RateLimited) as caught:
        await client.delete_trader(5)

    assert (
        caught.value.status,
        caught.value.code,
        caught.value.retry_after,
        str(caught.value),
    ) == (
        429,
        "REQUEST_FREQUENCY_EXCEEDED",
        120.0,
        "429 REQUEST_FREQUENCY_EXCEEDED: too many (DELETE /v2/webserv/traders/{login})",
    )


async def test_an_xml_error_body_is_read(fake: FakeUpstream, client: WebServicesClient) -> None:
    body = b"<error><errorCode>TRADER_NOT_FOUND</errorCode><description>no</description></error>"
    fake.on(
        "GET", PATH, httpx.Response(404, content=body, headers={"content-type": "application/xml"})
    )

    with pytest.raises(TraderNotFound) as caught:
        await client.get_trader(5)

    assert str(caught.value) == f"404 TRADER_NOT_FOUND: no {CALL}"


async def test_a_plain_text_error_body_is_read(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, httpx.Response(400, text="WRONG_PASSWORD: does not match"))

    with pytest.raises(WrongPassword) as caught:
        await client.get_trader(5)

    assert str(caught.value) == f"400 WRONG_PASSWORD: does not match {CALL}"


async def test_an_html_error_page_is_a_rejection_without_a_code(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, httpx.Response(403, text="<html><body>Forbidden</body></html>"))

    with pytest.raises(UpstreamRejected) as caught:
        await client.get_trader(5)

    assert (type(caught.value), str(caught.value)) == (
        UpstreamRejected,
        f"403 : upstream answered 403 without an error body {CALL}",
    )


async def test_unknown_error_is_a_server_error(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("DELETE", PATH, error_answer(500, "UNKNOWN_ERROR", "boom"))

    with pytest.raises(ServerError) as caught:
        await client.delete_trader(5)

    assert (caught.value.status, caught.value.code, str(caught.value)) == (
        500,
        "UNKNOWN_ERROR",
        "500 UNKNOWN_ERROR: boom (DELETE /v2/webserv/traders/{login})",
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (httpx.Response(200, text="{not json"), "the body is not JSON"),
        (httpx.Response(200, text="[]"), "the JSON body is not an object"),
        (json_answer(200, {"moneyDigits": "two"}), "'moneyDigits' is not an integer"),
        (json_answer(200, {"moneyDigits": 2}), "missing key 'login'"),
        (
            httpx.Response(
                200, text="<trader><login>", headers={"content-type": "application/xml"}
            ),
            "the body is not well-formed XML",
        ),
    ],
)
async def test_a_body_that_does_not_decode_is_malformed(
    fake: FakeUpstream, client: WebServicesClient, answer: httpx.Response, reason: str
) -> None:
    fake.on("GET", PATH, answer)

    with pytest.raises(MalformedResponse) as caught:
        await client.get_trader(5)

    assert str(caught.value) == f"malformed answer: {reason} {CALL}"


async def test_an_xml_bomb_is_malformed_not_expanded(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    bomb = (
        b'<!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<trader><login>&b;</login></trader>"
    )
    fake.on(
        "GET", PATH, httpx.Response(200, content=bomb, headers={"content-type": "application/xml"})
    )

    with pytest.raises(MalformedResponse) as caught:
        await client.get_trader(5)

    assert str(caught.value) == f"malformed answer: the body is not well-formed XML {CALL}"
