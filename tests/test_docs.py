"""The docs promise every error a client can meet: keep them in step with the code."""

import re
from pathlib import Path

from graphql import GraphQLNonNull, GraphQLUnionType

from resolvers.errors import _UPSTREAM
from schema import schema

ROOT = Path(__file__).resolve().parent.parent
ERRORS_DOC = (ROOT / "docs" / "errors.md").read_text()
DOCUMENTED = set(re.findall(r"`([A-Za-z_]+)`", ERRORS_DOC))


def mutation_error_members() -> set[str]:
    """The failure members of every mutation's result union: those with a `message`."""
    mutation = schema._schema.mutation_type
    assert mutation is not None
    members: set[str] = set()
    for field in mutation.fields.values():
        result = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(result, GraphQLUnionType):
            members |= {member.name for member in result.types if "message" in member.fields}
    return members


def test_every_union_member_of_every_mutation_is_documented() -> None:
    undocumented = sorted(mutation_error_members() - DOCUMENTED)
    assert undocumented == []


def test_every_error_code_is_documented() -> None:
    codes = {code for _, code, _ in _UPSTREAM}
    codes |= {"BAD_USER_INPUT", "INTERNAL_ERROR", "GRAPHQL_PARSE_FAILED"}
    codes.add("GRAPHQL_VALIDATION_FAILED")
    assert sorted(codes - DOCUMENTED) == []
