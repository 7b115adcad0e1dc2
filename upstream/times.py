"""The two time formats of the wire (reference §1.4), converted exactly, in UTC.

Entity timestamps are epoch milliseconds; query parameters and grid columns are
`yyyy-MM-ddTHH:mm:ss.SSS` in UTC with no zone suffix. Conversions use integer arithmetic,
never float seconds, so a millisecond survives the round trip.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_GRID_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", re.ASCII)


def from_epoch_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def to_epoch_ms(moment: datetime) -> int:
    return (_utc(moment) - EPOCH) // timedelta(milliseconds=1)


def format_query_time(moment: datetime) -> str:
    """`2018-01-01T12:12:12.000`: the upstream's query format, truncated to the millisecond."""
    utc = _utc(moment)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}"


def parse_grid_time(text: str) -> datetime:
    """The grid's timestamp columns; exactly three fraction digits, as the upstream writes them.

    Read by position rather than with `strptime`, which cost several times more per grid row.
    """
    if _GRID_TIME.fullmatch(text) is None:
        raise ValueError(f"not a yyyy-MM-ddTHH:mm:ss.SSS time: {text!r}")
    parts = (text[0:4], text[5:7], text[8:10], text[11:13], text[14:16], text[17:19])
    year, month, day, hour, minute, second = map(int, parts)
    micro = int(text[20:23]) * 1000
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    """Naive datetimes are refused: guessing their zone is how an hour of data goes missing."""
    if moment.tzinfo is None:
        raise ValueError("the upstream client needs timezone-aware datetimes")
    return moment.astimezone(UTC)
