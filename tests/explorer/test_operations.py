"""The explorer's example tabs are valid operations of the committed schema, variables included."""

from __future__ import annotations

import json

import pytest
from graphql import OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values

from explorer.operations import DEPOSIT, EXAMPLES, PARTNER_PORTAL, Example
from schema import schema


def operation(example: Example) -> OperationDefinitionNode:
    [definition] = parse(example.query).definitions
    assert isinstance(definition, OperationDefinitionNode)
    return definition


@pytest.mark.parametrize("example", EXAMPLES, ids=["partner portal", "deposit"])
def test_the_example_validates_against_the_schema(example: Example) -> None:
    assert validate(schema._schema, parse(example.query)) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=["partner portal", "deposit"])
def test_the_examples_variables_coerce_to_its_variable_types(example: Example) -> None:
    definitions = operation(example).variable_definitions or ()
    coerced = get_variable_values(schema._schema, definitions, json.loads(example.variables))
    errors = coerced if isinstance(coerced, list) else []
    assert errors == []


def test_the_tabs_open_with_the_partner_portal_then_the_deposit() -> None:
    names = [operation(example).name for example in EXAMPLES]
    assert ([name.value if name else None for name in names], EXAMPLES) == (
        ["PartnerPortal", "Deposit"],
        (PARTNER_PORTAL, DEPOSIT),
    )
