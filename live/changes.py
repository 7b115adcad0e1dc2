"""What a poll yields (`Item`s by key), what subscribers receive (`Change`s), and who may see them.

A poll answers a *snapshot*: every item of the polled resource, keyed by a stable id (a login, a
position id, a movement id). `diff` compares two snapshots and keeps only what moved, so an
unchanged resource costs its subscribers nothing but the poll.

Every item carries its `Audience` (the white label of the trader it belongs to, the caller who
owns a money movement). A subscriber's `Scope` decides at fan-out which changes reach it: one
poller serves subscribers of different scopes, each seeing only its own share.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Audience:
    """Whom an item concerns; None means the item does not restrict on that axis."""

    white_label: str | None = None
    caller: str | None = None


@dataclass(frozen=True)
class Scope:
    """What one subscriber may see.

    Today every caller is the service's manager, whose visibility the upstream already enforces
    on the poll itself, so `white_labels` is None (all the manager sees). The auth issue narrows
    it per caller; fan-out already honours it.
    """

    caller: str
    white_labels: frozenset[str] | None = None

    def admits(self, audience: Audience) -> bool:
        if audience.caller is not None and audience.caller != self.caller:
            return False
        if self.white_labels is None:
            return True
        return audience.white_label in self.white_labels


@dataclass(frozen=True)
class Item(Generic[T]):
    value: T
    audience: Audience = Audience()


Snapshot = Mapping[str, Item[T]]


class ChangeKind(enum.StrEnum):
    ADDED = "ADDED"
    UPDATED = "UPDATED"
    REMOVED = "REMOVED"


@dataclass(frozen=True)
class Change(Generic[T]):
    """One item that moved between two polls; `value` is the last one known (the old one when
    the item was removed)."""

    kind: ChangeKind
    key: str
    value: T
    audience: Audience


def diff(before: Snapshot[T], after: Snapshot[T]) -> tuple[Change[T], ...]:
    """Changes from `before` to `after`: added and updated in `after`'s order, then removed."""
    changes: list[Change[T]] = []
    for key, item in after.items():
        old = before.get(key)
        if old is None:
            changes.append(Change(ChangeKind.ADDED, key, item.value, item.audience))
        elif old != item:
            changes.append(Change(ChangeKind.UPDATED, key, item.value, item.audience))
    for key, item in before.items():
        if key not in after:
            changes.append(Change(ChangeKind.REMOVED, key, item.value, item.audience))
    return tuple(changes)


def visible(changes: tuple[Change[T], ...], scope: Scope) -> tuple[Change[T], ...]:
    """The changes `scope` may see."""
    return tuple(change for change in changes if scope.admits(change.audience))
