"""Time as the sandbox keeps it: the instant every test starts at (`NOW_MS`) and spans of time in
epoch ms, moving the sandbox clock (`set_clock`), the wire format of times (`wire_time`,
`epoch_ms_of`, §1.4), and `At`, a matcher for a time the sandbox stamped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from tests.sandbox.matchers import Matcher

# 2026-03-02T10:20:30.456 UTC: every test starts with the sandbox clock here.
NOW_MS = 1_772_446_830_456
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
# The sandbox clock keeps running after `POST /_sandbox/clock` moves it (it is real time plus an
# offset), so a time stamped "at T" is T plus the real time the test took since: well under this.
CLOCK_SLACK_MS = 10_000


async def set_clock(client: httpx.AsyncClient, now_ms: int) -> None:
    (await client.post("/_sandbox/clock", json={"nowMs": now_ms})).raise_for_status()


def wire_time(epoch_ms: int) -> str:
    """Query-parameter and grid times: `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, no zone (§1.4)."""
    moment = datetime.fromtimestamp(epoch_ms // 1000, tz=UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}"


def epoch_ms_of(text: object) -> int | None:
    """Epoch ms of a strict `yyyy-MM-ddTHH:mm:ss.SSS` UTC string, None for anything else."""
    if not isinstance(text, str) or not re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", text
    ):
        return None
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1000 + moment.microsecond // 1000


class At(Matcher):
    """A time stamped by the sandbox while its clock read `at_ms` (plus CLOCK_SLACK_MS), as epoch
    ms or, with `wire=True`, as a `yyyy-MM-ddTHH:mm:ss.SSS` string."""

    def __init__(self, at_ms: int, *, wire: bool = False) -> None:
        super().__init__(f"time {wire_time(at_ms)} (+{CLOCK_SLACK_MS} ms)")
        self.at_ms = at_ms
        self.wire = wire

    def accepts(self, other: object) -> bool:
        stamp = epoch_ms_of(other) if self.wire else other
        if isinstance(stamp, bool) or not isinstance(stamp, int):
            return False
        return self.at_ms <= stamp < self.at_ms + CLOCK_SLACK_MS
