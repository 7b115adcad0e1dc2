"""The committed schema.graphql is the schema: `make schema` regenerates it."""

from __future__ import annotations

from pathlib import Path

from strawberry.extensions import ValidationCache

from schema import schema
from schema.extensions.caller_rules import CallerRules
from schema.extensions.error_codes import ErrorCodes, StreamErrorCodes
from schema.extensions.hardening import ProductionHardening
from schema.extensions.operation_limits import OperationLimits
from schema.extensions.parsed import ParsedOnce
from schema.extensions.rate_limits import RateLimits
from schema.extensions.telemetry import OperationTelemetry

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
