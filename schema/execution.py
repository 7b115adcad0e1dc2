"""How the schema's fields run: each field's resolver called directly, awaitables known by type.

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

`LeanExecution` (the schema's `execution_context_class`) answers graphql-core's "is this
awaitable?", asked two or three times per field, once per type: the answer depends on the type's
`__await__` (what `await` looks up), except for a generator, checked each time as graphql-core
does (Strawberry's check asks `hasattr` of every object, an `AttributeError` raised and caught
for each record, `Decimal` and `datetime`). And a leaf field that reads its parent's attribute
(a login, an amount, a name: half the page's fields) is answered by reading and coercing it at
once, without the `info` object, resolver call and completion steps graphql-core spends on any
field; a value that is null or does not coerce, or a schema extension with a `resolve` hook,
takes graphql-core's own path, so errors are located and worded as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import CoroutineType, GeneratorType
from typing import Any, TypeGuard, cast

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path
from strawberry import Schema
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver

Resolve = Callable[..., Any]
Raw = GraphQLResolveInfo[Any]
_AWAITABLE: dict[type, bool] = {CoroutineType: True}


def awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Whether `await value` works: what its type says (a generator: its code's flag)."""
    kind = type(value)
    known = _AWAITABLE.get(kind)
    if known is None:
        if kind is GeneratorType:
            return bool(value.gi_code.co_flags & inspect.CO_ITERABLE_COROUTINE)
        known = _AWAITABLE[kind] = hasattr(kind, "__await__")
    return known


@dataclass(frozen=True, slots=True)
class Leaf:
    """A field that reads its parent's attribute `name` and answers a scalar or an enum."""

    name: str
    read: Callable[[Any, str], object]
    coerce: Callable[[Any], Any]


_LEAVES: dict[Resolve, Leaf] = {}
"""The attribute resolvers (`_attribute`) of leaf fields, by resolver."""


class LeanExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with the awaitable check answered per type and a leaf
    attribute's value coerced at once (no `info`, resolver call or completion steps for it);
    a value that is null or does not coerce takes graphql-core's own path, errors and all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = awaitable  # Strawberry hands graphql-core its own check
        manager = self.middleware_manager
        self._leaves = _LEAVES if manager is None or not manager.middlewares else {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        field = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
        leaf = self._leaves.get(field.resolve) if field is not None else None  # type: ignore[arg-type]
        if leaf is not None:
            try:
                value = leaf.read(source, leaf.name)
                coerced = None if value is None else leaf.coerce(value)
            except Exception:  # graphql-core's path below raises it again, located
                coerced = None
            if coerced is not None and coerced is not Undefined:
                return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _attribute(name: str, read: Callable[[Any, str], object], kind: GraphQLOutputType) -> Resolve:
    def resolve(source: Any, _info: Raw) -> object:
        return read(source, name)

    nullable = get_nullable_type(kind)
    if is_leaf_type(nullable):
        _LEAVES[resolve] = Leaf(name, read, nullable.coerce_output_value)
    return resolve


def _called(field: StrawberryField, resolver: StrawberryResolver[Any], info_class: type) -> Resolve:
    call = cast(Callable[..., Any], resolver.wrapped_func)  # bound when the type was built
    with_self = resolver.self_parameter is not None
    as_source = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def resolve(source: Any, info: Raw) -> object:
        kwargs = dict.fromkeys(as_source, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **kwargs) if with_self else call(**kwargs)

    return resolve


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
