"""The explorer's example tabs are valid operations of the committed schema, variables included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from graphql import OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values

from explorer.operations import (
    DEPOSIT,
    EXAMPLES,
    PARTNER_ACTIVITY,
    PARTNER_PORTAL,
    Example,
    partner_activity,
)
from schema import schema


def operation(example: Example) -> OperationDefinitionNode:
    [definition] = parse(example.query).definitions
    assert isinstance(definition, OperationDefinitionNode)
    return definition


@pytest.mark.parametrize("example", EXAMPLES, ids=["partner portal", "deposit", "partner activity"])
def test_the_example_validates_against_the_schema(example: Example) -> None:
    assert validate(schema._schema, parse(example.query)) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=["partner portal", "deposit", "partner activity"])
def test_the_examples_variables_coerce_to_its_variable_types(example: Example) -> None:
    definitions = operation(example).variable_definitions or ()
    coerced = get_variable_values(schema._schema, definitions, json.loads(example.variables))
    errors = coerced if isinstance(coerced, list) else []
    assert errors == []


def test_the_tabs_open_with_the_partner_portal_then_the_deposit_then_activity() -> None:
    names = [operation(example).name for example in EXAMPLES]
    assert ([name.value if name else None for name in names], EXAMPLES) == (
        ["PartnerPortal", "Deposit", "PartnerActivity"],
        (PARTNER_PORTAL, DEPOSIT, PARTNER_ACTIVITY),
    )


def test_the_activity_example_spans_this_month_and_the_two_before_it() -> None:
    variables = json.loads(partner_activity(date(2026, 1, 17)).variables)
    assert variables == {
        "partner": "IB-0230",
        "monthBefore": datetime(2025, 11, 1, tzinfo=UTC).isoformat(),
        "lastMonth": datetime(2025, 12, 1, tzinfo=UTC).isoformat(),
        "thisMonth": datetime(2026, 1, 1, tzinfo=UTC).isoformat(),
        "nextMonth": datetime(2026, 2, 1, tzinfo=UTC).isoformat(),
    }
