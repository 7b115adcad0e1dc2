"""A full record answers a summary's every field, by the names the two dataclasses share."""

from __future__ import annotations

from dataclasses import fields

from resolvers.summary_batch import summary_of
from tests.upstream.samples import TRADER
from upstream.records import TraderSummary


def test_a_full_record_fills_every_field_of_its_summary() -> None:
    summary = summary_of(TRADER)
    assert {f.name: getattr(summary, f.name) for f in fields(TraderSummary)} == {
        f.name: getattr(TRADER, f.name) for f in fields(TraderSummary)
    }
