"""The committed schema.graphql is the schema: `make schema` regenerates it."""

from __future__ import annotations

from pathlib import Path

from strawberry.extensions import ValidationCache

from auth.rules import CallerRules
from limits.hardening import ProductionHardening
from limits.operation import OperationLimits
from limits.parsed import ParsedOnce
from limits.rate_limits import RateLimits
from observability.operations import OperationTelemetry
from schema import schema
from schema.errors import ErrorCodes
from schema.subscriptions import StreamErrorCodes

COMMITTED = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_the_committed_schema_matches_the_code() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema.graphql is stale: run `make schema` and commit it"
    )


def test_parser_and_validation_caches_are_on() -> None:
    built = [factory() for factory in schema.extensions]
    assert [type(extension) for extension in built] == [
        OperationTelemetry,
        ErrorCodes,
        StreamErrorCodes,
        ParsedOnce,
        ValidationCache,
        ProductionHardening,
        OperationLimits,
        CallerRules,
        RateLimits,
    ]
