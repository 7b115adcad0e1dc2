"""`ProductionHardening`: what production mode hides from a client probing the schema.

In production, introspection (`__schema`, `__type`) is refused by graphql-core's
`NoSchemaIntrospectionCustomRule`, and validation messages lose their "Did you mean ...?"
suggestions, which would otherwise spell the schema out one guess at a time. `__typename` stays.
Development mode (the demo, GraphiQL's docs explorer) keeps both.

Like `OperationLimits`, it must come after `ValidationCache`: it rewrites validation's errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from resolvers.context import Context
from settings import Mode

SUGGESTION = re.compile(r" Did you mean .*\?$")


class ProductionHardening(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        if self._production():
            rules = self.execution_context.validation_rules
            self.execution_context.validation_rules = (*rules, NoSchemaIntrospectionCustomRule)
        yield

    def on_validate(self) -> Iterator[None]:
        errors = self.execution_context.pre_execution_errors
        if errors and self._production():
            self.execution_context.pre_execution_errors = [_without_suggestion(e) for e in errors]
        yield

    def _production(self) -> bool:
        context = self.execution_context.context
        return isinstance(context, Context) and context.settings.mode == Mode.PRODUCTION


def _without_suggestion(error: GraphQLError) -> GraphQLError:
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=error.extensions,
    )
