"""Checks on the closed-positions window a client asks for.

The service splits any window into the upstream's 2-day windows, so a window's width is a cost:
92 days (46 upstream calls for a page) is the widest accepted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from resolvers.errors import InvalidInput

MAX_WINDOW = timedelta(days=92)


def utc(moment: datetime) -> datetime:
    """A naive time from a client is taken as UTC, like the upstream's own times."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def checked_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = utc(start), utc(end)
    if not start < end:
        raise InvalidInput("closedPositions: from must be before to.")
    if end - start > MAX_WINDOW:
        raise InvalidInput(f"closedPositions: the window may span at most {MAX_WINDOW.days} days.")
    return start, end
