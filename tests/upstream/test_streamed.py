"""A list answer read record by record (`upstream.streamed.Listing`), as `json` would read it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from upstream.fields import ShapeError
from upstream.streamed import Listing

BODY = b'{"before": 1, "trader": [{"a": 1.10}, {"b": [2, {"c": null}]}], "hasMore": false}'


def read(body: bytes, key: str = "trader") -> tuple[list[dict[str, object]], dict[str, object]]:
    listing = Listing(body, key)
    records = [dict(record.data) for record in listing.records()]
    return records, dict(listing.rest.data)


def test_records_come_in_order_and_the_other_members_after_them() -> None:
    assert read(BODY) == (
        [{"a": Decimal("1.10")}, {"b": [2, {"c": None}]}],
        {"before": 1, "hasMore": False},
    )


def test_the_records_and_the_rest_are_what_json_reads() -> None:
    spaced = b' \n{ "trader" :\t[ {"x": "\\u00e9\\"]"} ,{"y":-0.5e1} ] ,"hasMore":true }\r\n'
    whole = json.loads(spaced, parse_float=Decimal)
    assert read(spaced) == (whole["trader"], {"hasMore": True})


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"trader": [], "hasMore": false}', ([], {"hasMore": False})),
        (b'{"hasMore": false}', ([], {"hasMore": False})),
        (b"{}", ([], {})),
        (b'{"trader": {"one": 1}, "hasMore": false}', ([{"one": 1}], {"hasMore": False})),
    ],
)
def test_an_empty_absent_or_single_list_reads_as_json_would(
    body: bytes, expected: tuple[list[dict[str, object]], dict[str, object]]
) -> None:
    assert read(body) == expected


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
        (b'{"trader": [{"a": tru}]}', "the body is not JSON"),
        (b"{1: 2}", "a member name of the JSON body is not a string"),
        (b"\xff", "the body is not JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_of_records_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(ShapeError) as refused:
        read(body)
    assert str(refused.value) == message


def test_xml_is_read_whole_and_drained() -> None:
    body = b"<traderList><trader><login>1</login></trader><hasMore>false</hasMore></traderList>"
    listing = Listing(body, "trader", xml=True)
    records = [dict(record.data) for record in listing.records()]
    assert (records, dict(listing.rest.data)) == ([{"login": "1"}], {"hasMore": "false"})


def test_records_are_read_once() -> None:
    listing = Listing(BODY, "trader")
    list(listing.records())
    with pytest.raises(RuntimeError) as again:
        list(listing.records())
    assert str(again.value) == "a listing's records are read once"
