"""`OperationLimits`: the Strawberry extension that applies the limits to each operation.

It caps the parser's tokens (as Strawberry's `MaxTokensLimiter` does, but from the app's
settings), counts the directives of the whole document whether it validated or not (ten unknown
directives are one `TOO_MANY_DIRECTIVES`, not ten validation errors), then, once the document
has validated, walks the chosen operation
(`limits.walk`) and refuses it with a GraphQL error carrying the limit's code: the
operation never executes, so no upstream call is made. In development mode, a request whose
body carries `"extensions": {"cost": true}` gets `extensions.cost` in the response: the estimate
next to the calls really made.

It must come after `ValidationCache` in the schema's extension list: the walk only runs on a
document that validated, and its refusal is read where validation errors are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from graphql import DocumentNode, OperationDefinitionNode, get_operation_ast
from strawberry.extensions import SchemaExtension

from limits.calls import CallCount, start_counting
from limits.codes import LimitExceeded
from limits.cost import Plan, nothing_mirrored
from limits.measure import Bounds, Measure, directive_limit
from limits.walk import Walk, directives_in
from resolvers.context import Context
from settings import Mode, ServiceSettings


def bounds_of(
    settings: ServiceSettings, mirrored: Callable[[datetime, datetime], bool] = nothing_mirrored
) -> Bounds:
    """The bounds of one operation; `mirrored` says which closed-positions windows cost nothing."""
    plan = Plan(settings.loader_batch_size, len(settings.white_labels), mirrored)
    return Bounds(settings, settings.max_page_size, plan)


class OperationLimits(SchemaExtension):
    """Refuse over-limit operations before execution; report their cost in development."""

    _measure: Measure | None = None
    _count: CallCount | None = None

    def on_operation(self) -> Iterator[None]:
        settings = self._settings()
        if settings is not None:
            self.execution_context.parse_options["max_tokens"] = settings.max_tokens
            self._count = start_counting()
        yield

    def on_validate(self) -> Iterator[None]:
        settings, context = self._settings(), self.execution_context
        document = context.graphql_document
        if settings is not None and document is not None:
            try:
                self._check(settings, document)
            except LimitExceeded as refused:
                context.pre_execution_errors = [refused.as_graphql_error()]
        yield

    def _check(self, settings: ServiceSettings, document: DocumentNode) -> None:
        """The document's directives, valid or not; then, if it validated, the walk."""
        directive_limit(directives_in(document), settings.max_directives)
        operation = self._operation()
        if not self.execution_context.pre_execution_errors and operation is not None:
            self._measure = self._walk(settings, document, operation)

    def get_results(self) -> dict[str, object]:
        settings = self._settings()
        asked = (self.execution_context.operation_extensions or {}).get("cost") is True
        if settings is None or settings.mode != Mode.DEVELOPMENT or self._measure is None:
            return {}
        if not asked:
            return {}
        actual = self._count.calls if self._count else 0
        estimated = self._measure.estimated_calls
        return {"cost": {"estimatedCalls": estimated, "actualCalls": actual}}

    def _walk(
        self, settings: ServiceSettings, document: DocumentNode, operation: OperationDefinitionNode
    ) -> Measure:
        context = self.execution_context
        variables = dict(context.variables or {})
        walk = Walk(
            context.schema._schema,
            document,
            operation,
            variables,
            bounds_of(settings, self._mirrored()),
        )
        return walk.run()

    def _operation(self) -> OperationDefinitionNode | None:
        context = self.execution_context
        if context.graphql_document is None:
            return None
        return get_operation_ast(context.graphql_document, context.operation_name)

    def _mirrored(self) -> Callable[[datetime, datetime], bool]:
        context = self.execution_context.context
        return context.services.history.holds if isinstance(context, Context) else nothing_mirrored

    def _settings(self) -> ServiceSettings | None:
        context = self.execution_context.context
        return context.settings if isinstance(context, Context) else None
