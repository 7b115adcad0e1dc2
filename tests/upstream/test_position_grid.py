"""Everyone's open positions for a page: shape checked on arrival, records built per trader."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.upstream.fake import FakeUpstream
from tests.upstream.samples import OPEN_HEADER, OPEN_ROW
from tests.upstream.test_grids import OPEN_PATH, csv
from upstream.client import WebServicesClient
from upstream.errors import MalformedResponse

OTHER_ROW = OPEN_ROW.replace("9013206,4325443", "9013207,4325444")
HOLD = "'direction' has an unknown value 'HOLD'"
BAD_ROW = OPEN_ROW.replace("9013206,4325443", "9013208,4325445").replace("BUY", "HOLD")


async def test_each_login_gets_its_own_rows_in_grid_order(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    second = OPEN_ROW.replace("4325443", "4325446")
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW, second))

    grid = await client.open_position_grid()

    assert [[p.position_id for p in grid.records_of(n)] for n in (9013206, 9013207, 1)] == [
        [4325443, 4325446],
        [4325444],
        [],
    ]


async def test_every_row_of_the_grid_is_the_same_record_as_the_whole_grid_read(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW))

    grid = await client.open_position_grid()

    assert grid.records() == await client.open_positions()


async def test_the_logins_are_those_with_rows(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW, BAD_ROW))

    assert (await client.open_position_grid()).logins() == {9013206, 9013207, 9013208}


async def test_a_bad_cell_fails_only_the_trader_whose_row_holds_it(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, BAD_ROW))
    grid = await client.open_position_grid()

    with pytest.raises(MalformedResponse) as caught:
        grid.records_of(9013208)

    assert (str(caught.value), [p.login for p in grid.records_of(9013206)]) == (
        "malformed answer: 'direction' has an unknown value 'HOLD' (GET /v2/webserv/openPositions)",
        [9013206],
    )


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (
            (OPEN_HEADER.replace("login,", "account,"), OPEN_ROW),
            "the grid's header is not the expected columns",
        ),
        ((OPEN_HEADER, OPEN_ROW, OTHER_ROW + ",extra"), "grid line 3 has 14 cells, not 13"),
        ((OPEN_HEADER, OPEN_ROW.replace("9013206", "x9")), "'login' is not an integer"),
    ],
)
async def test_a_grid_of_the_wrong_shape_fails_the_whole_call(
    fake: FakeUpstream, client: WebServicesClient, lines: tuple[str, ...], reason: str
) -> None:
    fake.on("GET", OPEN_PATH, csv(*lines))

    with pytest.raises(MalformedResponse) as caught:
        await client.open_position_grid()

    assert str(caught.value) == f"malformed answer: {reason} (GET {OPEN_PATH})"


async def test_one_login_spelt_two_ways_keeps_its_rows_in_grid_order(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    padded = OPEN_ROW.replace("9013206,4325443", "09013206,4325447")
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW, padded))

    grid = await client.open_position_grid()

    assert [p.position_id for p in grid.records_of(9013206)] == [4325443, 4325447]


def _quoted(line: str) -> str:
    return ",".join(f'"{cell}"' for cell in line.split(","))


@pytest.mark.parametrize(
    "spelling",
    [
        lambda lines: "\n".join(lines) + "\n",
        lambda lines: "\r\n".join(lines) + "\r\n\r\n",
        lambda lines: "\n".join(_quoted(line) for line in lines),
    ],
    ids=["newlines", "crlf-and-blank-line", "quoted"],
)
async def test_every_spelling_of_a_grid_reads_the_same_rows(
    fake: FakeUpstream, client: WebServicesClient, spelling: Callable[[list[str]], str]
) -> None:
    """A plain grid is split directly, any other through `csv`: the rows must not differ."""
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW))
    expected = (await client.open_position_grid()).records()
    text = spelling([OPEN_HEADER, OPEN_ROW, OTHER_ROW])
    fake.on("GET", OPEN_PATH, httpx.Response(200, text=text))

    assert (await client.open_position_grid()).records() == expected


async def test_a_traders_records_are_built_once_for_every_reader_of_the_grid(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    """Two reads in a row: the second is not shared, so it is a grid of its own."""
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, OPEN_ROW, OTHER_ROW, BAD_ROW))
    grid, again = await client.open_position_grid(), await client.open_position_grid()

    first = grid.records_of(9013206)
    failures = []
    for _ in range(2):
        with pytest.raises(MalformedResponse) as caught:
            grid.records_of(9013208)
        failures.append(str(caught.value))

    assert (grid.records_of(9013206) is first, again.records_of(9013206) is first) == (True, False)
    assert again.records_of(9013206) == first
    assert failures == [f"malformed answer: {HOLD} (GET {OPEN_PATH})"] * 2


async def test_an_ascending_grid_finds_each_logins_run_even_when_one_login_begins_another(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    """Ascending plain logins are found by bisection: a login that is the start of another
    (901320 and 9013206) must get its own rows only, and a login between runs none."""
    short = OPEN_ROW.replace("9013206,4325443", "901320,4325440")
    second = OPEN_ROW.replace("4325443", "4325446")
    fake.on("GET", OPEN_PATH, csv(OPEN_HEADER, short, OPEN_ROW, second, OTHER_ROW))

    grid = await client.open_position_grid()
    found = [[p.position_id for p in grid.records_of(n)] for n in (901320, 9013206, 9013207, 90)]

    assert (found, grid.logins()) == (
        [[4325440], [4325443, 4325446], [4325444], []],
        frozenset({901320, 9013206, 9013207}),
    )
