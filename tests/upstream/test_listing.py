"""The trader list (3.3) and its paging rule, and closed positions over any window (3.14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from tests.upstream.fake import FakeUpstream, json_answer
from tests.upstream.samples import CLOSED_HEADER
from upstream.client import WebServicesClient
from upstream.enums import TraderField
from upstream.errors import MalformedResponse
from upstream.records import TraderSummary
from upstream.times import format_query_time, from_epoch_ms

LIST_PATH = "/v2/webserv/traders/"
FROM = datetime(2023, 1, 1, tzinfo=UTC)
TO = datetime(2024, 1, 1, tzinfo=UTC)
T1, T2, T3 = 1680000000001, 1680000000002, 1680000000003


def summary(login: int, registered: int) -> dict[str, object]:
    return {"login": login, "registrationTimestamp": registered, "balance": 1050, "moneyDigits": 2}


def page(has_more: bool, *traders: dict[str, object]) -> httpx.Response:
    return json_answer(200, {"trader": list(traders), "hasMore": has_more})


async def test_pages_are_followed_moving_to_down_to_the_earliest_registration(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "GET",
        LIST_PATH,
        page(True, summary(3, T3), summary(2, T2)),
        page(False, summary(1, T1)),
    )

    await client.list_trader_summaries(FROM, TO, [TraderField.BALANCE])

    assert fake.queries(LIST_PATH) == [
        {
            "from": "2023-01-01T00:00:00.000",
            "to": to,
            "fields": "login,registrationTimestamp,moneyDigits,balance",
            "token": "1dd4ef40-c5b3-61c0-0689-b1b40c97fadc",
        }
        for to in ("2024-01-01T00:00:00.000", "2023-03-28T10:40:00.002")
    ]


async def test_every_page_s_traders_are_returned_newest_first(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "GET",
        LIST_PATH,
        page(True, summary(3, T3), summary(2, T2)),
        page(False, summary(1, T1)),
    )

    traders = await client.list_trader_summaries(FROM, TO, [TraderField.BALANCE])

    assert traders == tuple(
        TraderSummary(
            login=login,
            registration_timestamp=from_epoch_ms(ms),
            money_digits=2,
            balance=Decimal("10.50"),
        )
        for login, ms in ((3, T3), (2, T2), (1, T1))
    )


async def test_a_page_that_would_not_move_the_window_is_malformed(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", LIST_PATH, page(True))

    with pytest.raises(MalformedResponse) as caught:
        await client.list_trader_summaries(FROM, TO, [])

    assert str(caught.value) == (
        "malformed answer: hasMore is true but the page does not move the window down"
        " (GET /v2/webserv/traders/)"
    )


async def test_the_filters_travel_under_their_section_12_names(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", LIST_PATH, page(False))

    await client.list_traders_page(
        FROM,
        TO,
        group_id=7,
        has_open_positions=False,
        deal_from=FROM + timedelta(milliseconds=5),
        deal_to=TO,
    )

    assert fake.queries(LIST_PATH) == [
        {
            "from": "2023-01-01T00:00:00.000",
            "to": "2024-01-01T00:00:00.000",
            "dealFrom": "2023-01-01T00:00:00.005",
            "dealTo": "2024-01-01T00:00:00.000",
            "groupId": "7",
            "hasOpenPositions": "false",
            "token": "1dd4ef40-c5b3-61c0-0689-b1b40c97fadc",
        }
    ]


async def test_a_five_day_window_of_closed_positions_takes_three_calls(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", "/v2/webserv/closedPositions", httpx.Response(200, text=CLOSED_HEADER + "\n"))

    await client.closed_positions_window(FROM, FROM + timedelta(days=5), login=9)

    windows = [
        (q["from"], q["to"], q["login"]) for q in fake.queries("/v2/webserv/closedPositions")
    ]
    assert windows == [
        ("2023-01-01T00:00:00.000", "2023-01-03T00:00:00.000", "9"),
        ("2023-01-03T00:00:00.000", "2023-01-05T00:00:00.000", "9"),
        ("2023-01-05T00:00:00.000", "2023-01-06T00:00:00.000", "9"),
    ]


async def test_an_empty_window_makes_no_call(fake: FakeUpstream, client: WebServicesClient) -> None:
    assert (await client.closed_positions_window(FROM, FROM), fake.calls()) == ((), [])


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        format_query_time(datetime(2023, 1, 1))  # noqa: DTZ001 - the point of the test

    assert str(caught.value) == "the upstream client needs timezone-aware datetimes"


def test_epoch_milliseconds_become_aware_utc_datetimes() -> None:
    assert from_epoch_ms(1_772_446_830_456) == datetime(2026, 3, 2, 10, 20, 30, 456000, tzinfo=UTC)


def kept(record: TraderSummary) -> tuple[int, Decimal | None]:
    return record.login, record.balance


async def test_kept_summaries_follow_the_pages_and_are_each_kept_once(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on(
        "GET",
        LIST_PATH,
        page(True, summary(3, T3), summary(2, T2)),
        page(False, summary(2, T2), summary(1, T1)),
    )

    traders = await client.keep_trader_summaries(FROM, TO, [TraderField.BALANCE], kept)

    assert (traders, [query["to"] for query in fake.queries(LIST_PATH)]) == (
        [(3, Decimal("10.50")), (2, Decimal("10.50")), (1, Decimal("10.50"))],
        ["2024-01-01T00:00:00.000", "2023-03-28T10:40:00.002"],
    )


async def test_a_kept_page_that_would_not_move_the_window_is_malformed(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", LIST_PATH, page(True))

    with pytest.raises(MalformedResponse) as caught:
        await client.keep_trader_summaries(FROM, TO, [], kept)

    assert str(caught.value) == (
        "malformed answer: hasMore is true but the page does not move the window down"
        " (GET /v2/webserv/traders/)"
    )


async def test_a_kept_list_that_breaks_off_is_malformed(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", LIST_PATH, httpx.Response(200, content=b'{"trader": [{"login": 1, "regis'))

    with pytest.raises(MalformedResponse) as caught:
        await client.keep_trader_summaries(FROM, TO, [], kept)

    assert str(caught.value) == "malformed answer: the body is not JSON (GET /v2/webserv/traders/)"
