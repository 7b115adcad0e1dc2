"""How the schema's fields run: each field's resolver called directly, awaitables known by type.

`lean` (`schema/direct.py`) gives each eligible field a direct resolver at start-up.
`LeanExecution` (the schema's `execution_context_class`) answers graphql-core's "is this
awaitable?", asked two or three times per field, once per type: the answer depends on the type's
`__await__` (what `await` looks up), except for a generator, checked each time as graphql-core
does (Strawberry's check asks `hasattr` of every object, an `AttributeError` raised and caught
for each record, `Decimal` and `datetime`).

And it runs each grouped field set through its `Step`s (`schema/plan.py`), made once per request:
a leaf field that reads its parent's attribute (a login, an amount, a name: half the page's
fields) is answered by reading and coercing it at once, without the path, `info` object,
resolver call and completion steps graphql-core spends on any field; a value that is null or does
not coerce takes graphql-core's own path, so errors are located and worded as before. A field
that answers one object is resolved and its object's fields executed here, without graphql-core's
dispatch on the field's type, and without an `info` when neither its resolver nor its type reads
one; an awaitable answer, a list, an abstract type, a field with arguments and any field under
`@defer` take graphql-core's path. Errors are handled as graphql-core handles them: the same
message for a null in a non-null field, located at the same path.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import FieldNode, GraphQLField, GraphQLObjectType, GraphQLOutputType, Undefined
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema import (
    _OperationContextAwareGraphQLResolveInfo as _StrawberryInfo,
)

from resolvers.batching import awaitable
from schema.direct import LEAVES, Leaf, lean
from schema.plan import Step, steps

__all__ = ["LeanExecution", "awaitable", "lean"]

_tuple = tuple.__new__
"""A named tuple made from its parts in C: `Path` and the resolve info, hundreds per page."""


class LeanExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with the awaitable check answered per type, each grouped
    field set run through its `Step`s, leaf attributes coerced at once and single objects
    completed without graphql-core's dispatch; anything else takes graphql-core's own path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = awaitable  # Strawberry hands graphql-core its own check
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[GroupedFieldSet, list[Step]]] = {}
        self._request_part: tuple[Any, ...] | None = None

    def build_resolve_info(
        self,
        field_def: GraphQLField,
        field_nodes: list[FieldNode],
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> Any:
        """Strawberry's resolve info, the same tuple, made without its named tuple's Python
        `__new__`: its ten parts that are the same for every field are put together once."""
        part = self._request_part
        if part is None:
            part = self._request_part = _request_part(self)
        field_part = (field_nodes[0].name.value, field_nodes, field_def.type, parent_type, path)
        return _tuple(_StrawberryInfo, field_part + part)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """graphql-core's `execute_fields` over the set's steps."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        try:
            for step in self._steps(parent_type, grouped_field_set):
                name = step.name
                if (
                    step.leaf is not None
                    and (answer := _coerced(step.leaf, source_value)) is not None
                ):
                    results[name] = answer
                    continue
                field_path = _tuple(Path, (path, name, parent_type.name))
                if step.object_type is not None and position_context is None:
                    result = self._object_field(step, parent_type, source_value, field_path)
                else:
                    result = super().execute_field(
                        parent_type, source_value, step.details, field_path, position_context
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

    def _steps(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> list[Step]:
        key = (parent_type, id(fields))
        known = self._plans.get(key)
        if known is not None:
            return known[1]
        made = steps(self.schema, parent_type, fields, self._direct)
        self._plans[key] = (fields, made)  # the set kept alive with it, so its id stays its own
        return made

    def _object_field(
        self, step: Step, parent_type: GraphQLObjectType, source: Any, path: Path
    ) -> AwaitableOrValue[Any]:
        """graphql-core's `execute_field` for a field that answers one object."""
        field, details = step.field, step.details
        info = None if step.infoless else self._info(step, parent_type, path)
        try:
            result = field.resolve(source, info)  # type: ignore[misc]
            if awaitable(result):
                info = info or self._info(step, parent_type, path)
                return self.complete_awaitable_value(field.type, details, info, path, result, None)
            completed = self._object_value(step, parent_type, info, path, result)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return None
        if awaitable(completed):
            return self._settled(completed, field.type, details, path)
        return completed

    def _object_value(
        self, step: Step, parent_type: GraphQLObjectType, info: Any, path: Path, result: Any
    ) -> AwaitableOrValue[Any]:
        """graphql-core's `complete_value` for one object (nullable or not)."""
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            if step.non_null:
                field_name = step.details[0].node.name.value
                raise TypeError(
                    f"Cannot return null for non-nullable field {parent_type}.{field_name}."
                )
            return None
        kind = step.object_type
        assert kind is not None  # noqa: S101 - a step without one never comes here
        if kind.is_type_of is not None:
            return self.complete_object_value(kind, step.details, info, path, result, None)
        grouped, defers, _ = self.collect_subfields(kind, step.details)
        if defers:
            return self.execute_collected_subfields(kind, result, path, grouped, defers, None)
        return self.execute_fields(kind, result, path, grouped, None)

    def _info(self, step: Step, parent_type: GraphQLObjectType, path: Path) -> Any:
        return self.build_resolve_info(step.field, to_nodes(step.details), parent_type, path)

    async def _settled(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        field = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
        resolve = field.resolve if field is not None and self._direct else None
        leaf = LEAVES.get(resolve) if resolve is not None else None
        if leaf is not None and (answer := _coerced(leaf, source)) is not None:
            return answer
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _request_part(executor: StrawberryGraphQLCoreExecutionContext) -> tuple[Any, ...]:
    """The parts of Strawberry's resolve info after `path`, in its order."""
    return (
        executor.schema,
        executor.fragment_definitions,
        executor.root_value,
        executor.operation,
        executor.variable_values.coerced,
        executor.context_value,
        executor.is_awaitable,
        executor.abort_signal,
        executor.async_helpers,
        executor.operation_extensions,
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
