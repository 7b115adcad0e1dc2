"""The API's two time formats: epoch ms in entities, `yyyy-MM-ddTHH:mm:ss.SSS` UTC in queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sandbox.exceptions import InvalidRequest

_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$")


def parse(name: str, text: str) -> int:
    """Epoch ms of a query-parameter time; anything else is `INVALID_REQUEST`."""
    if not _PATTERN.match(text):
        raise InvalidRequest(f"'{name}' must be formatted yyyy-MM-ddTHH:mm:ss.SSS (UTC)")
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidRequest(f"'{name}' is not a valid date and time") from None
    return int(moment.timestamp() * 1000)


def format_ms(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}"
