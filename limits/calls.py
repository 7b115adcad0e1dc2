"""How many upstream calls the current request really made, for the cost report.

The upstream client's `on_request` hook (`count_upstream_call`) runs in the context of the
resolver or loader batch that made the call, which inherits the request's context; the
extension starts a fresh `CallCount` there at the start of each operation.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from upstream.hooks import CallRecord


@dataclass
class CallCount:
    calls: int = 0


_CURRENT: ContextVar[CallCount | None] = ContextVar("tradergraph_call_count", default=None)


def start_counting() -> CallCount:
    """A new count for the operation running in this context."""
    count = CallCount()
    _CURRENT.set(count)
    return count


def count_upstream_call(record: CallRecord) -> None:
    """The client's hook: one more call for the operation in progress, if any."""
    count = _CURRENT.get()
    if count is not None:
        count.calls += 1
