"""The seam through which the service counts upstream calls (per GraphQL request, and metrics).

The hook sees one `CallRecord` per HTTP exchange attempted, retries and token calls included, and
never the URL: only the method and the path template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CallRecord:
    """`status` is None when no answer came back (transport error, timeout)."""

    method: str
    path: str
    status: int | None
    duration: float


RequestHook = Callable[[CallRecord], None]
