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
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
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
Plan = list[tuple[str, FieldDetailsList, Leaf | None]]
"""A grouped field set's fields: response name, field details, and the `Leaf` if it is one."""


class LeanExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with the awaitable check answered per type and a leaf
    attribute's value coerced at once (no `info`, resolver call or completion steps for it);
    a value that is null or does not coerce takes graphql-core's own path, errors and all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = awaitable  # Strawberry hands graphql-core its own check
        manager = self.middleware_manager
        self._leaves = _LEAVES if manager is None or not manager.middlewares else {}
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[GroupedFieldSet, Plan]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """graphql-core's `execute_fields` over the set's `Plan`: a leaf attribute answered at
        once (no `Path` for it), any other field through `Executor.execute_field`."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        execute_field = super().execute_field
        try:
            for name, details, leaf in self._plan(parent_type, grouped_field_set):
                if leaf is not None and (answer := _coerced(leaf, source_value)) is not None:
                    results[name] = answer
                    continue
                field_path = Path(path, name, parent_type.name)
                result = execute_field(
                    parent_type, source_value, details, field_path, position_context
                )
                if result is not Undefined:
                    results[name] = result
                    if awaitable(result):
                        pending.append(name)
        except Exception:
            if pending:  # settle what other fields started, as graphql-core does
                self.settle_in_background([results[name] for name in pending])
            raise
        return _gathered(results, pending) if pending else results

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan:
        """What `execute_fields` runs for `fields` under `parent_type`, made once per request
        (graphql-core collects a selection once for every object of a list: the same set)."""
        key = (parent_type, id(fields))
        known = self._plans.get(key)
        if known is not None:
            return known[1]
        plan: Plan = []
        for name, details in fields.items():
            field = self.schema.get_field(parent_type, details[0].node.name.value)
            if field is not None:
                plan.append((name, details, self._leaves.get(field.resolve)))  # type: ignore[arg-type]
        self._plans[key] = (fields, plan)  # the set kept alive with it, so its id stays its own
        return plan

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
        if leaf is not None and (answer := _coerced(leaf, source)) is not None:
            return answer
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _coerced(leaf: Leaf, source: Any) -> Any:
    """`leaf`'s value of `source`, coerced; None when it is null or does not coerce (graphql-core
    then runs the field its own way, and locates and words the error as it does)."""
    try:
        value = leaf.read(source, leaf.name)
        coerced = None if value is None else leaf.coerce(value)
    except Exception:
        return None
    return None if coerced is Undefined else coerced


async def _gathered(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    if len(pending) == 1:
        results[pending[0]] = await results[pending[0]]
    else:
        answers = await gather_with_cancel(*(results[name] for name in pending))
        results.update(zip(pending, answers, strict=True))
    return results


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
