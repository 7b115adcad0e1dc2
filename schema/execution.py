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
that answers one object or a list of objects is resolved and completed by `Completing`
(`schema/completion.py`), without graphql-core's dispatch on the field's type, and without an
`info` when neither its resolver nor its type reads one; an abstract type, a field with
arguments and any field under `@defer` take graphql-core's path.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, Undefined
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel

from resolvers.batching import awaitable
from schema.completion import Completing, new_tuple
from schema.direct import LEAVES, Leaf, lean
from schema.plan import Step, steps

__all__ = ["LeanExecution", "awaitable", "lean"]


class LeanExecution(Completing):
    """Strawberry's execution context, with the awaitable check answered per type, each grouped
    field set run through its `Step`s, leaf attributes coerced at once and objects completed
    without graphql-core's dispatch; anything else takes graphql-core's own path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = awaitable  # Strawberry hands graphql-core its own check
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[GroupedFieldSet, list[Step]]] = {}

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
                if (leaf := step.leaf) is not None:
                    try:  # `_coerced`, written out: half the page's fields come here
                        value = leaf.read(source_value, leaf.name)
                        answer = None if value is None else leaf.coerce(value)
                    except Exception:
                        answer = None
                    if answer is not None and answer is not Undefined:
                        results[name] = answer
                        continue
                field_path = new_tuple(Path, (path, name, parent_type.name))
                if step.object_type is not None and position_context is None:
                    result = self.complete_field(step, parent_type, source_value, field_path)
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
