"""Opaque cursors for trader connections, and the checks on `first`.

A cursor names a position in the index's order (registration time, then login), not an
offset, so paging stays correct while traders are added between two requests.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from resolvers.errors import InvalidInput
from resolvers.index import IndexEntry
from upstream.times import from_epoch_ms, to_epoch_ms

PREFIX = "trader:"


def cursor_of(entry: IndexEntry) -> str:
    raw = f"{PREFIX}{to_epoch_ms(entry.registered)}:{entry.login}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def position_of(cursor: str) -> tuple[datetime, int]:
    """The (registration, login) a cursor points at; InvalidInput if it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        registered, login = raw.removeprefix(PREFIX).split(":")
        if not raw.startswith(PREFIX):
            raise ValueError(raw)
        return from_epoch_ms(int(registered)), int(login)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(f"Invalid cursor {cursor!r}.") from None


def checked_first(first: int, maximum: int) -> int:
    if not 0 <= first <= maximum:
        raise InvalidInput(f"first must be between 0 and {maximum}, got {first}.")
    return first
