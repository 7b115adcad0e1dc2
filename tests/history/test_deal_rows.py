"""The mirror's rows straight from the grid's text (store/deal_rows.py) are the record path's rows
(`ClosedDeal`, then `deal_row`) for every line, plain or not, and fail the way it fails."""

from __future__ import annotations

import pytest

import store.deal_rows
from store.deal_figures import UnitError
from store.deal_rows import COLUMNS, deal_row, mirror_rows
from store.deals import deals
from tests.upstream.samples import CLOSED_HEADER, CLOSED_ROW
from upstream.fields import ShapeError
from upstream.grids import closed_deals

PLAIN = [
    CLOSED_ROW,
    "3000742,5027558,7029205,2026-11-11T10:58:56.948,2026-11-16T00:01:56.281,1.14018,1.12364,"
    "SELL,5000000.00,EURUSD,-337.09,561.82,82700.00,1.12364,1.12364,BOOK_A,,true",
    "3000304,5010579,7010682,2026-11-16T23:59:59.999,2026-11-17T00:00:00.000,147.392,147.392,"
    "BUY,0.1,USDJPY,-0.000001,0,-0.5,0.0000198871,0.0067,BOOK_B,12.5,false",
]
ODD = [  # each needs the record path: an exponent, a padded cell, 1E-7, more decimals than kept
    CLOSED_ROW.replace(",44.79,", ",0E-8,"),
    CLOSED_ROW.replace(",44.79,", ", 44.79,"),
    CLOSED_ROW.replace(",0.96911,", ",0.00000001,"),
    CLOSED_ROW.replace(",25.83,", ",25.8300000000,"),
    CLOSED_ROW.replace(",1000.00,", ",01000.00,"),
]


def grid(*lines: str, newline: str = "\n") -> bytes:
    return newline.join([CLOSED_HEADER, *lines, ""]).encode()


def by_records(body: bytes) -> list[tuple[object, ...]]:
    return [tuple(deal_row(deal).values()) for deal in closed_deals(body)]


@pytest.fixture
def record_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many lines each call of the record path read."""
    calls: list[int] = []

    def counted(body: bytes) -> object:
        found = closed_deals(body)
        calls.append(len(found))
        return found

    monkeypatch.setattr(store.deal_rows, "closed_deals", counted)
    return calls


def test_the_columns_are_the_tables_in_order() -> None:
    assert list(COLUMNS) == [column.name for column in deals.columns]


def test_a_plain_line_is_read_whole_without_records(record_calls: list[int]) -> None:
    assert (mirror_rows(grid(CLOSED_ROW)), record_calls) == (
        [
            (
                5690189, 13313, 9013197, "GBPUSD", "BUY", 1535631329154, 1577955714748, 18263,
                "1.32315", "1.32214", "1000.00", "0.00", "25.83", "44.79", "0.96911", "1.32214",
                "BOOK_B", "0.00", False, 10_000_000, 0, 2_583_000_000, 132214, 6111, 1,
            )
        ],
        [],
    )  # fmt: skip


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_plain_lines_are_the_record_paths_rows(record_calls: list[int], newline: str) -> None:
    body = grid(*PLAIN, newline=newline)
    assert (mirror_rows(body), record_calls) == (by_records(body), [])


def test_a_line_that_is_not_plain_alone_takes_the_record_path(record_calls: list[int]) -> None:
    body = grid(PLAIN[0], *ODD, PLAIN[1])
    assert (mirror_rows(body), record_calls) == (by_records(body), [1] * len(ODD))


def test_a_quoted_grid_is_read_by_the_record_path(record_calls: list[int]) -> None:
    body = grid(*PLAIN[:2], CLOSED_ROW.replace(",GBPUSD,", ',"GBPUSD",'))
    assert (mirror_rows(body), record_calls) == (by_records(body), [3])


@pytest.mark.parametrize(
    ("line", "error", "message"),
    [
        (CLOSED_ROW.replace(",1000.00,", ",1000.00001,"), UnitError, "has more than 4 decimals"),
        (CLOSED_ROW.replace(",0.96911,", ",0,"), UnitError, "depositConversionRate"),
        (CLOSED_ROW.replace("2020-01-02", "2020-02-30"), ShapeError, "'closeTimestamp' is not"),
        (CLOSED_ROW.replace(",BUY,", ",HOLD,"), ShapeError, "'direction' has an unknown value"),
        (CLOSED_ROW + ",1", ShapeError, "grid line 3 has 19 cells, not 18"),
    ],
)
def test_a_bad_line_fails_as_the_record_path_fails(
    line: str, error: type[Exception], message: str
) -> None:
    body = grid(PLAIN[0], line)
    with pytest.raises(error) as failed:
        by_records(body)
    with pytest.raises(error) as mirrored:
        mirror_rows(body)
    assert (str(mirrored.value), message in str(failed.value)) == (str(failed.value), True)


def test_a_wrong_header_fails_as_the_record_path_fails() -> None:
    body = grid(CLOSED_ROW).replace(b"dealId", b"deal")
    with pytest.raises(ShapeError, match="the grid's header is not the expected columns"):
        mirror_rows(body)
