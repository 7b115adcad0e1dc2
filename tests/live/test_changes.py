"""Snapshots compared: only what moved becomes a change; scopes pick what each subscriber sees."""

from __future__ import annotations

from live.changes import Audience, Change, ChangeKind, Item, Scope, diff, visible

ATLAS = Audience(white_label="atlas-markets")
BOREALIS = Audience(white_label="borealis-fx")


def test_an_unchanged_snapshot_gives_no_change() -> None:
    snapshot = {"1": Item(10, ATLAS)}
    assert diff(snapshot, dict(snapshot)) == ()


def test_added_updated_and_removed_items_each_give_their_change() -> None:
    before = {"1": Item(10, ATLAS), "2": Item(20, ATLAS), "3": Item(30, BOREALIS)}
    after = {"1": Item(10, ATLAS), "2": Item(21, ATLAS), "4": Item(40, BOREALIS)}
    assert diff(before, after) == (
        Change(ChangeKind.UPDATED, "2", 21, ATLAS),
        Change(ChangeKind.ADDED, "4", 40, BOREALIS),
        Change(ChangeKind.REMOVED, "3", 30, BOREALIS),
    )


def test_a_scope_without_white_labels_sees_everything_of_its_caller() -> None:
    changes = (Change(ChangeKind.ADDED, "1", 1, ATLAS), Change(ChangeKind.ADDED, "2", 2, BOREALIS))
    assert visible(changes, Scope("1001")) == changes


def test_a_scope_sees_only_its_white_labels() -> None:
    changes = (Change(ChangeKind.ADDED, "1", 1, ATLAS), Change(ChangeKind.ADDED, "2", 2, BOREALIS))
    scope = Scope("1001", white_labels=frozenset({"borealis-fx"}))
    assert visible(changes, scope) == (Change(ChangeKind.ADDED, "2", 2, BOREALIS),)


def test_an_item_owned_by_another_caller_is_not_seen() -> None:
    owned = Audience(caller="1002")
    changes = (Change(ChangeKind.UPDATED, "7", 7, owned),)
    assert (visible(changes, Scope("1001")), visible(changes, Scope("1002"))) == ((), changes)
