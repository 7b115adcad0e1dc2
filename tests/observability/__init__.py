"""Tests for observability/: JSON logs, traces and /metrics over the in-process sandbox."""
