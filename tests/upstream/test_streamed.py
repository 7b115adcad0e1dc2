"""A list answer read record by record as its chunks arrive (`upstream.streamed.Records`), as
`json` would read the whole body, however the body is cut into chunks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.upstream.fake import FakeUpstream
from upstream.client import WebServicesClient
from upstream.fields import ShapeError
from upstream.records import TraderSummary
from upstream.streamed import Records

BODY = b'{"before": 1, "trader": [{"a": 1.10}, {"b": [2, {"c": null}]}], "hasMore": false}'
Read = tuple[list[dict[str, object]], dict[str, object]]


def read(body: bytes, key: str = "trader", *, size: int = 0, xml: bool = False) -> Read:
    """The body fed whole, or in chunks of `size` bytes."""
    records = Records(key, xml=xml)
    chunks = [body[at : at + size] for at in range(0, len(body), size)] if size else [body]
    found = [dict(record.data) for chunk in chunks for record in records.feed(chunk)]
    found += [dict(record.data) for record in records.end()]
    return found, dict(records.rest.data)


def test_records_come_in_order_and_the_other_members_after_them() -> None:
    assert read(BODY) == (
        [{"a": Decimal("1.10")}, {"b": [2, {"c": None}]}],
        {"before": 1, "hasMore": False},
    )


SPACED = (
    ' \n{ "trader" :\t[ {"x": "\\u00e9\\"]", "é": "日本"} ,{"y":-0.5e+1, "z": 12345678901234567890}'
    ' ] ,"total": 1.5e-3, "hasMore":true }\r\n'
).encode()


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 7, 64])
def test_the_records_and_the_rest_are_what_json_reads_in_chunks_of_any_size(size: int) -> None:
    whole = json.loads(SPACED, parse_float=Decimal)
    rest = {key: value for key, value in whole.items() if key != "trader"}
    assert read(SPACED, size=size) == (whole["trader"], rest)


@given(st.lists(st.integers(min_value=1, max_value=len(SPACED)), max_size=12))
def test_any_cuts_read_as_the_whole_body(cuts: list[int]) -> None:
    records = Records("trader")
    marks = [0, *sorted(cuts), len(SPACED)]
    pieces = [SPACED[start:end] for start, end in pairwise(marks)]
    found = [dict(record.data) for piece in pieces for record in records.feed(piece)]
    found += [dict(record.data) for record in records.end()]
    assert (found, dict(records.rest.data)) == read(SPACED)


def test_a_record_is_handed_out_as_soon_as_the_text_after_it_has_come() -> None:
    records = Records("trader")
    first = [dict(r.data) for r in records.feed(b'{"trader": [{"login": 1}, {"login": 2')]
    second = [dict(r.data) for r in records.feed(b'}], "hasMore": false}')]
    assert (first, second, [dict(r.data) for r in records.end()], dict(records.rest.data)) == (
        [{"login": 1}],
        [{"login": 2}],
        [],
        {"hasMore": False},
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"trader": [], "hasMore": false}', ([], {"hasMore": False})),
        (b'{"hasMore": false}', ([], {"hasMore": False})),
        (b"{}", ([], {})),
        (b'{"trader": {"one": 1}, "hasMore": false}', ([{"one": 1}], {"hasMore": False})),
    ],
)
@pytest.mark.parametrize("size", [0, 1])
def test_an_empty_absent_or_single_list_reads_as_json_would(
    body: bytes, expected: Read, size: int
) -> None:
    assert read(body, size=size) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[1, 2]", "the JSON body is not an object"),
        (b'{"trader": [1]}', "'trader' is not an object"),
        (b'{"trader": [{"a": 1}] "hasMore": false}', "members are not separated by ','"),
        (b'{"trader": [{"a": 1} {"b": 2}]}', "elements are not separated by ','"),
        (b'{"trader" [], "hasMore": false}', "a member has no ':'"),
        (b'{"trader": []} {}', "the JSON body goes on after its object"),
        (b'{"trader": [{"a": 1}', "the body is not JSON"),
        (b'{"trader": [{"a": "unterminated}]}', "the body is not JSON"),
        (b'{"trader": [{"a": tru}]}', "the body is not JSON"),
        (b'{"trader": [{"a": 1}]} xx', "the JSON body goes on after its object"),
        (b"{1: 2}", "a member name of the JSON body is not a string"),
        (b"", "the body is not JSON"),
        (b"\xff", "the body is not JSON"),
        (b'{"a": "\xc3', "the body is not JSON"),
    ],
)
@pytest.mark.parametrize("size", [0, 1, 4])
def test_a_body_that_is_not_a_json_object_of_records_is_refused(
    body: bytes, message: str, size: int
) -> None:
    with pytest.raises(ShapeError) as refused:
        read(body, size=size)
    assert str(refused.value) == message


def test_a_value_broken_early_is_refused_before_the_body_ends() -> None:
    records = Records("trader")
    with pytest.raises(ShapeError) as refused:
        list(records.feed(b'{"trader": [{"a": nope, "b": 1, "c": 2, "d": 3}, '))
    assert str(refused.value) == "the body is not JSON"


@pytest.mark.parametrize("size", [0, 5])
def test_xml_is_read_whole_at_the_end_and_drained(size: int) -> None:
    body = b"<traderList><trader><login>1</login></trader><hasMore>false</hasMore></traderList>"
    assert read(body, size=size, xml=True) == ([{"login": "1"}], {"hasMore": "false"})


class Chunks(httpx.AsyncByteStream):
    """A body sent in pieces; `broken` raises after them, as a connection lost mid-answer."""

    def __init__(self, pieces: list[bytes], *, broken: bool = False) -> None:
        self.pieces, self.broken, self.sent = pieces, broken, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            self.sent += 1
            yield piece
        if self.broken:
            raise httpx.ReadError("connection lost")


def kept(record: TraderSummary) -> int:
    return record.login


LIST = (
    b'{"trader": [{"login": 3, "registrationTimestamp": 1680000000003}, '
    b'{"login": 2, "registrationTimestamp": 1680000000002}], "hasMore": false}'
)
FROM, TO = datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)


async def test_the_index_s_list_is_read_as_its_chunks_arrive(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    body = Chunks([LIST[at : at + 10] for at in range(0, len(LIST), 10)])
    fake.on("GET", "/v2/webserv/traders/", httpx.Response(200, stream=body))

    def seen(record: TraderSummary) -> tuple[int, int]:
        return record.login, body.sent  # how many chunks had come when it was kept

    logins = await client.keep_trader_summaries(FROM, TO, [], seen)

    assert (logins, body.sent, len(fake.requests)) == ([(3, 9), (2, 14)], 14, 2)


async def test_a_list_broken_off_mid_answer_is_read_again_from_its_start(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    half = len(LIST) // 2
    broken = Chunks([LIST[:half]], broken=True)
    whole = Chunks([LIST[:half], LIST[half:]])
    fake.on(
        "GET",
        "/v2/webserv/traders/",
        httpx.Response(200, stream=broken),
        httpx.Response(200, stream=whole),
    )

    logins = await client.keep_trader_summaries(FROM, TO, [], kept)

    assert (logins, broken.sent, whole.sent, len(fake.requests)) == ([3, 2], 1, 2, 3)
