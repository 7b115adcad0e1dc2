"""Counts of emulated-API requests by method and route template, since the last reset."""

from __future__ import annotations

from collections import Counter


class Stats:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()

    def count(self, method: str, template: str) -> None:
        self.requests[f"{method} {template}"] += 1

    def snapshot(self) -> dict[str, int]:
        return dict(sorted(self.requests.items()))

    def reset(self) -> None:
        self.requests.clear()
