"""Each field's resolver called directly, once at start-up: `lean`.

A page of 50 traders executes about 770 fields. Strawberry (0.341) calls a field that has a
resolver through a chain built for the general case: its `Info`, the field's extensions (none
here), the conversion of its arguments, then the resolver, eight Python frames and a few dicts
per call, and a field without one through two more frames than `getattr`. `lean` replaces, once
at start-up, the resolver graphql-core calls for every field whose chain does nothing beyond
that: a field without extensions or arguments of its own, outside subscriptions, in a schema
without exception handlers. It gets the same `Info` (`StrawberryConfig.info_class`), its parent as
`self`, `root` or `Parent` as the resolver asks, or the parent's attribute; anything else keeps
Strawberry's chain. What a resolver returns, an error it raises, and an awaitable it answers are
graphql-core's to handle, as before.

Two registries tell `schema/execution.py` what a direct resolver is: `LEAVES`, the attribute
resolvers of scalar and enum fields (read and coerced at once), and `INFOLESS`, the direct
resolvers that never read graphql-core's resolve info (an attribute, or a resolver without an
`info` parameter), which may be called without one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_nullable_type,
    is_leaf_type,
)
from strawberry import Schema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver

Resolve = Callable[..., Any]
Raw = GraphQLResolveInfo[Any]


@dataclass(frozen=True, slots=True)
class Leaf:
    """A field that reads its parent's attribute `name` and answers a scalar or an enum."""

    name: str
    read: Callable[[Any, str], object]
    coerce: Callable[[Any], Any]


LEAVES: dict[Resolve, Leaf] = {}
"""The attribute resolvers (`_attribute`) of leaf fields, by resolver."""
INFOLESS: set[Resolve] = set()
"""The direct resolvers that never read their resolve info."""


def _attribute(name: str, read: Callable[[Any, str], object], kind: GraphQLOutputType) -> Resolve:
    def resolve(source: Any, _info: Raw | None) -> object:
        return read(source, name)

    nullable = get_nullable_type(kind)
    if is_leaf_type(nullable):
        LEAVES[resolve] = Leaf(name, read, nullable.coerce_output_value)
    INFOLESS.add(resolve)
    return resolve


def _called(field: StrawberryField, resolver: StrawberryResolver[Any], info_class: type) -> Resolve:
    call = cast(Callable[..., Any], resolver.wrapped_func)  # bound when the type was built
    with_self = resolver.self_parameter is not None
    as_source = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    if with_self and not as_source and _positional(call, info_name):
        return _method(call, field, info_class, info_name is not None)

    def resolve(source: Any, info: Raw | None) -> object:
        kwargs = dict.fromkeys(as_source, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **kwargs) if with_self else call(**kwargs)

    if info_name is None:
        INFOLESS.add(resolve)
    return resolve


def _positional(call: Callable[..., Any], info_name: str | None) -> bool:
    """Whether `call` takes `self` and then (if named) its info, both by position."""
    parameters = list(inspect.signature(call).parameters.values())
    names = [parameter.name for parameter in parameters[1:]]
    by_position = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters)
    return by_position and names == ([info_name] if info_name else [])


def _method(
    call: Callable[..., Any], field: StrawberryField, info_class: type, info: bool
) -> Resolve:
    """The two usual shapes, `def f(self)` and `def f(self, info)`, called by position."""
    if not info:

        def plain(source: Any, _info: Raw | None) -> object:
            return call(source)

        INFOLESS.add(plain)
        return plain

    def with_info(source: Any, info: Raw | None) -> object:
        return call(source, info_class(_raw_info=info, _field=field))

    return with_info


def _lean(field: StrawberryField, kind: GraphQLOutputType, schema: Schema) -> Resolve | None:
    """The direct resolver of `field`, or None where Strawberry's chain does more."""
    if field.extensions or field.arguments:
        return None
    if field.base_resolver is None:
        return _attribute(field.python_name, schema.config.default_resolver, kind)
    return _called(field, field.base_resolver, schema.config.info_class)


def lean(schema: Schema) -> int:
    """Give every eligible field of `schema` its direct resolver; how many were given one."""
    if schema.exception_handlers:
        return 0
    graphql = schema._schema
    given = 0
    for graphql_type in graphql.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        if graphql_type is graphql.subscription_type or graphql_type.name.startswith("__"):
            continue
        for graphql_field in graphql_type.fields.values():
            given += _give(graphql_field, schema)
    return given


def _give(graphql_field: GraphQLField, schema: Schema) -> int:
    field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField) or graphql_field.resolve is None:
        return 0
    direct = _lean(field, graphql_field.type, schema)
    if direct is None:
        return 0
    graphql_field.resolve = direct
    return 1
