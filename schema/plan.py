"""What `LeanExecution` runs for one grouped field set under one object type: its `Step`s.

graphql-core collects a selection once for every object of a list (the same grouped field set
for each of a page's 50 nodes), so the work of finding each field's definition and what kind of
field it is, done by graphql-core for each field of each node, is done here once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_nullable_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet

from schema.direct import INFOLESS, LEAVES, Leaf

STRAWBERRY_CONVERTER = "strawberry.schema.schema_converter"


@dataclass(slots=True)
class Step:
    """One field of a grouped field set (not frozen: made afresh for every request's sets, and
    a frozen dataclass sets each of its attributes through `object.__setattr__`)."""

    name: str
    """The response key."""
    details: FieldDetailsList
    field: GraphQLField
    leaf: Leaf | None
    """Set for a scalar or enum attribute: its value is read and coerced at once."""
    object_type: GraphQLObjectType | None
    """Set for a field without arguments that answers one object, or a list of objects (not
    under `@stream`), nullable or not: its value is completed by `LeanExecution` itself,
    without graphql-core's dispatch on the type."""
    non_null: bool
    infoless: bool
    """The resolver never reads its info and the object type's `is_type_of` (if any) is
    Strawberry's own: no info is built for the field unless its answer is awaitable."""
    own_check: bool = False
    """The object type's `is_type_of` is Strawberry's own (an `isinstance` of the type and its
    interfaces), which reads no info and answers at once."""
    item_type: GraphQLOutputType | None = None
    """For a list of objects: the type of its items (non-null or not)."""


def steps(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, fields: GroupedFieldSet, direct: bool
) -> list[Step]:
    """The steps of `fields` under `parent_type`; with `direct` false (middleware wraps every
    resolver) every field is left to graphql-core."""
    made = []
    for name, details in fields.items():
        field = schema.get_field(parent_type, details[0].node.name.value)
        if field is not None:
            made.append(_step(name, details, field, direct))
    return made


def _step(name: str, details: FieldDetailsList, field: GraphQLField, direct: bool) -> Step:
    resolve = field.resolve
    leaf = LEAVES.get(resolve) if direct and resolve is not None else None
    nullable = get_nullable_type(field.type)
    plain = direct and resolve is not None and not field.args and not details[0].node.arguments
    item_type = None
    if isinstance(nullable, GraphQLList) and not _streamed(details):
        item_type = nullable.of_type
        nullable = get_nullable_type(item_type)
    object_type = nullable if plain and isinstance(nullable, GraphQLObjectType) else None
    non_null = is_non_null_type(field.type)
    if object_type is None:
        return Step(name, details, field, leaf, None, non_null, False)
    check = object_type.is_type_of
    own_check = check is not None and _strawberrys(check)
    infoless = resolve in INFOLESS and (check is None or own_check)
    return Step(name, details, field, leaf, object_type, non_null, infoless, own_check, item_type)


def _strawberrys(check: Callable[..., Any]) -> bool:
    """Whether `check` is the `is_type_of` Strawberry gives a type with interfaces."""
    module, name = getattr(check, "__module__", ""), getattr(check, "__qualname__", "")
    return module == STRAWBERRY_CONVERTER and name.endswith("._get_is_type_of.<locals>.is_type_of")


def _streamed(details: FieldDetailsList) -> bool:
    """Whether a node of the field carries `@stream` (graphql-core then streams its items)."""
    return any(
        directive.name.value == "stream"
        for detail in details
        for directive in detail.node.directives or ()
    )
