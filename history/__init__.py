"""The deal mirror: backfill, catch-up worker, locks and coverage (docs/history.md)."""
