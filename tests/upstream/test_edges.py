"""Edges of the wire: Retry-After dates, inputs with no wire form, answers without bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from tests.upstream.fake import FakeUpstream, json_answer
from tests.upstream.samples import TRADER, TRADER_JSON
from upstream.answers import retry_after
from upstream.client import WebServicesClient
from upstream.encode import leverage_in_cents
from upstream.enums import BalanceChangeType
from upstream.inputs import BalanceChangeRequest, LinkRequest
from upstream.wire import json_body


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("0.5", 0.5), ("-3", 0.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None)],
)
def test_retry_after_reads_both_of_its_forms(header: str, seconds: float | None) -> None:
    assert retry_after(header) == seconds


def test_a_leverage_finer_than_cents_has_no_wire_form() -> None:
    with pytest.raises(ValueError, match="cents") as caught:
        leverage_in_cents(Decimal("33.333"))

    assert str(caught.value) == "leverage 33.333 is not a whole number of cents"


def test_a_non_finite_amount_has_no_wire_form() -> None:
    with pytest.raises(ValueError, match="finite") as caught:
        json_body({"preciseAmount": Decimal("NaN")})

    assert str(caught.value) == "only finite amounts go on the wire"


async def test_a_link_without_account_details_answers_none(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", "/cid/ctid/link", httpx.Response(200))
    link = LinkRequest(5, SecretStr("pw"), 3, "sandbox", "demo", return_account_details=False)

    assert await client.link_trader(link) is None


async def test_the_full_list_follows_has_more_too(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    older = TRADER_JSON | {"login": 1, "registrationTimestamp": 1680163530000}
    fake.on(
        "GET",
        "/v2/webserv/traders/",
        json_answer(200, {"trader": [TRADER_JSON], "hasMore": True}),
        json_answer(200, {"trader": [older], "hasMore": False}),
    )
    start = datetime(2023, 1, 1, tzinfo=UTC)

    traders = await client.list_traders(start, datetime(2024, 1, 1, tzinfo=UTC))

    assert [t.login for t in traders] == [TRADER.login, 1]


def test_a_deposit_request_keeps_its_exact_amount() -> None:
    change = BalanceChangeRequest(BalanceChangeType.DEPOSIT, Decimal("1234567.89"))

    assert json_body({"preciseAmount": change.amount}) == b'{"preciseAmount":1234567.89}'
