"""A field that answers one object or a list of objects, resolved and completed directly.

graphql-core completes a field's value through `execute_field`, `complete_value` (a dispatch
on the type: non-null, list, leaf, abstract, object) and, for each object, three more frames
before its fields run. `Completing` does that for the steps that answer objects (`Step.object_type`,
`schema/plan.py`): the resolver called, null checked against the type, each list item given its
path, and the object's fields executed, with graphql-core's own handling of every error (the
same messages, located at the same paths, propagated to the same nullable parent). What it does
not handle (an awaitable answer or item, an iterable other than a list or tuple, a type with
`is_type_of`, `@defer`) goes to graphql-core's own methods, given the field's resolve info.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import FieldNode, GraphQLField, GraphQLObjectType, GraphQLOutputType, Undefined
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema import (
    _OperationContextAwareGraphQLResolveInfo as _StrawberryInfo,
)

from resolvers.batching import awaitable
from schema.plan import Step

new_tuple = tuple.__new__
"""A named tuple made from its parts in C: `Path` and the resolve info, hundreds per page."""


class Completing(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with fields that answer objects completed directly."""

    _request_part: tuple[Any, ...] | None = None

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
        return new_tuple(_StrawberryInfo, field_part + part)

    def complete_field(
        self, step: Step, parent_type: GraphQLObjectType, source: Any, path: Path
    ) -> AwaitableOrValue[Any]:
        """graphql-core's `execute_field` for a step that answers objects."""
        field, details = step.field, step.details
        info = None if step.infoless else self._info(step, parent_type, path)
        try:
            result = field.resolve(source, info)  # type: ignore[misc]
            if awaitable(result):
                info = info or self._info(step, parent_type, path)
                return self.complete_awaitable_value(field.type, details, info, path, result, None)
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                _null_allowed(step, parent_type, step.non_null)
                return None
            if step.item_type is None:
                completed = self._object(step, parent_type, info, path, result)
            elif isinstance(result, list | tuple):
                completed = self._list(step, parent_type, info, path, result)
            else:  # any other iterable, or none: graphql-core's way
                info = info or self._info(step, parent_type, path)
                completed = self.complete_value(field.type, details, info, path, result, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return None
        if awaitable(completed):
            return self._settled(completed, field.type, details, path)
        return completed

    def _object(
        self, step: Step, parent_type: GraphQLObjectType, info: Any, path: Path, result: Any
    ) -> AwaitableOrValue[Any]:
        """graphql-core's `complete_object_value`, for a value that is not null."""
        kind = step.object_type
        assert kind is not None  # noqa: S101 - a step without one never comes here
        if step.own_check:
            if not kind.is_type_of(result, None):  # type: ignore[arg-type,misc]
                raise invalid_return_type_error(kind, result, step.details)
        elif kind.is_type_of is not None:
            info = info or self._info(step, parent_type, path)
            return self.complete_object_value(kind, step.details, info, path, result, None)
        grouped, defers, _ = self.collect_subfields(kind, step.details)
        if defers:
            return self.execute_collected_subfields(kind, result, path, grouped, defers, None)
        return self.execute_fields(kind, result, path, grouped, None)

    def _list(
        self, step: Step, parent_type: GraphQLObjectType, info: Any, path: Path, items: Any
    ) -> AwaitableOrValue[list[Any]]:
        """graphql-core's `complete_iterable_value` (no `@stream`) for a list of objects."""
        item_type, details = step.item_type, step.details
        assert item_type is not None  # noqa: S101 - a list step has its item type
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = new_tuple(Path, (path, index, None))
                if awaitable(item):
                    info = info or self._info(step, parent_type, path)
                    completed.append(
                        self.complete_awaitable_list_item_value(
                            item, item_type, details, info, item_path, None
                        )
                    )
                    pending.append(index)
                    continue
                value = self._item(step, parent_type, info, item_path, item)
                if awaitable(value):
                    value = self._settled(value, item_type, details, item_path)
                    pending.append(index)
                completed.append(value)
        except Exception:
            if pending:  # settle what other items started, as graphql-core does
                self.settle_in_background([completed[index] for index in pending])
            raise
        return _gathered(completed, pending) if pending else completed

    def _item(
        self, step: Step, parent_type: GraphQLObjectType, info: Any, path: Path, item: Any
    ) -> AwaitableOrValue[Any]:
        """graphql-core's `complete_list_item_value`: an item's error nulls the item (or, in a
        non-null item, propagates)."""
        try:
            if isinstance(item, Exception):
                raise item
            if item is None or item is Undefined:
                _null_allowed(step, parent_type, step.item_type is not step.object_type)
                return None
            return self._object(step, parent_type, info, path, item)
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.item_type, step.details, path)  # type: ignore[arg-type]
            return None

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


def _null_allowed(step: Step, parent_type: GraphQLObjectType, non_null: bool) -> None:
    """graphql-core's error for a null where the type (the field's, or its items') is non-null."""
    if non_null:
        field_name = step.details[0].node.name.value
        raise TypeError(f"Cannot return null for non-nullable field {parent_type}.{field_name}.")


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


async def _gathered(completed: list[Any], pending: list[int]) -> list[Any]:
    if len(pending) == 1:
        completed[pending[0]] = await completed[pending[0]]
    else:
        answers = await gather_with_cancel(*(completed[index] for index in pending))
        for index, answer in zip(pending, answers, strict=True):
            completed[index] = answer
    return completed
