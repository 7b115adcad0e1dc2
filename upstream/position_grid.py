"""A position grid read once, whose rows become records only for the traders asked about.

A page of 50 traders needs their rows out of everyone's grid (3.13 without `login`: thousands of
rows), and a record costs a `datetime`, several `Decimal`s and two enums per row: building them
all was most of a page's CPU. So the grid's shape is checked when it arrives (header, cell
count, each row's login), and a truncated or reordered grid still fails the whole call; a row's
cells are checked when its record is built, and a bad cell fails the traders whose rows hold it
(`MalformedResponse`, through `records_of`), not the traders beside them. A plain grid (no
quotes) keeps each line as its text until its record is built: only its login is cut out on
arrival, so the rows of traders nobody asked about are never split into cells.

Finding a trader's rows: the upstream sends the grid ordered by login, so when every login cell
is plain digits (no sign, no leading zero) and the cells are in ascending order, a login's rows
are one run of lines, found by bisection for the traders asked about; the cells are cut out,
checked and compared in C, without a Python step per line. Any other grid is grouped by login
line by line, each distinct login cell read with `as_integer` (a bad one fails the whole call).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import islice, repeat
from operator import itemgetter, le
from typing import Generic, TypeVar, overload

from upstream.answers import malformed, malformed_as
from upstream.calls import Call
from upstream.fields import ShapeError, as_integer

R = TypeVar("R")
Line = tuple[int, list[str]]
"""A grid line's number (the header is line 1) and its cells, in the header's order."""
Kept = tuple[int, list[str] | str]
"""A line as the grid keeps it: its cells, or (a plain grid's line) its text, split when built."""


def _cells(line: Kept) -> Line:
    number, cells = line
    return (number, cells.split(",")) if isinstance(cells, str) else (number, cells)


def _login_text(line: Kept) -> str:
    cells = line[1]
    return cells.partition(",")[0] if isinstance(cells, str) else cells[0]


class PositionGrid(Generic[R]):
    """Rows by login in grid order; `build` makes a record of one line, or raises."""

    def __init__(self, lines: Sequence[Kept], build: Callable[[Line], R], call: Call) -> None:
        self._build, self._call = build, call
        self._lines = lines
        self._logins = _ascending_logins(lines)
        self._by_login = {} if self._logins is not None else _by_login(lines)
        self._built: dict[int, tuple[R, ...]] = {}

    @classmethod
    def plain(cls, texts: list[str], build: Callable[[Line], R], call: Call) -> PositionGrid[R]:
        """A grid of plain data lines kept as text, the first of them line 2."""
        return cls(_Numbered(texts), build, call)

    def logins(self) -> frozenset[int]:
        """The logins with at least one row."""
        if self._logins is not None:
            return frozenset(map(int, self._logins))
        return frozenset(self._by_login)

    def records_of(self, login: int) -> tuple[R, ...]:
        """`login`'s rows as records, in grid order; `MalformedResponse` if a cell is bad.

        Built once per grid (records are immutable): a grid is shared by every reader of its
        answer (`sharing.Answered.decoded`), so sixteen pages of the same traders build their
        records once. A failure is not kept: it is raised again for each reader."""
        built = self._built.get(login)
        if built is None:
            rows = self._rows_of(login)
            try:
                built = tuple(self._build(_cells(line)) for line in rows) if rows else ()
            except ShapeError as exc:
                raise malformed(self._call, exc) from None
            self._built[login] = built
        return built

    def records(self) -> tuple[R, ...]:
        """Every row as a record, in grid order."""
        with malformed_as(self._call):
            return tuple(self._build(_cells(line)) for line in self._lines)

    def _rows_of(self, login: int) -> Sequence[Kept]:
        texts = self._logins
        if texts is None:
            return self._by_login.get(login, ())
        text = str(login)
        start = bisect_left(texts, text)
        return self._lines[start : bisect_right(texts, text, start)]


class _Numbered(Sequence[Kept]):
    """Plain data lines as `Kept` lines, numbered from 2 (after the header) when read."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[Kept]:
        return enumerate(self.texts, 2)

    @overload
    def __getitem__(self, index: int) -> Kept: ...
    @overload
    def __getitem__(self, index: slice) -> list[Kept]: ...
    def __getitem__(self, index: int | slice) -> Kept | list[Kept]:
        if isinstance(index, slice):
            first, _, _ = index.indices(len(self.texts))
            return list(enumerate(self.texts[index], first + 2))
        return (range(2, len(self.texts) + 2)[index], self.texts[index])


def _ascending_logins(lines: Sequence[Kept]) -> list[str] | None:
    """Every line's login cell, if each is plain digits and they ascend; else None."""
    if not isinstance(lines, _Numbered) or not lines.texts:
        return None
    texts = list(map(itemgetter(0), map(str.partition, lines.texts, repeat(","))))
    digits = "".join(texts)
    if not (digits.isascii() and digits.isdigit()) or not all(texts):
        return None
    if "\n0" in "\n" + "\n".join(texts) or not all(map(le, texts, islice(texts, 1, None))):
        return None
    return texts


def _login(text: str) -> int:
    """A login cell: plain ASCII digits in the usual case, checked in C; else `as_integer`."""
    if text.isascii() and text.isdigit():
        return int(text)
    return as_integer(text, "login")


def _by_login(lines: Sequence[Kept]) -> dict[int, list[Kept]]:
    """Lines grouped by login; each distinct login cell is read once, not once per row."""
    by_text: defaultdict[str, list[Kept]] = defaultdict(list)
    for line in lines:
        by_text[_login_text(line)].append(line)
    grouped = {_login(text): rows for text, rows in by_text.items()}
    if len(grouped) == len(by_text):
        return grouped
    merged: defaultdict[int, list[Kept]] = defaultdict(list)  # one login spelt two ways
    for line in lines:
        merged[_login(_login_text(line))].append(line)
    return merged
