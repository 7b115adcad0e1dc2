"""The one place where exceptions become GraphQL errors.

Resolvers raise; this extension rewrites each error of the result after execution: a stable
`extensions.code` (table in `resolvers.errors`), a fixed client-facing message, the request id,
and never an exception's own text (which could name internals). In development mode the
original text is kept under `extensions.detail`. Errors raised before execution (no `path`) are
the client's own and keep their message (less any "Did you mean ...?" outside development mode:
`schema/extensions/hardening.py`): `GRAPHQL_VALIDATION_FAILED` for validation,
`BAD_USER_INPUT` for variables that do not coerce, and `GRAPHQL_PARSE_FAILED` for syntax errors
(which end the request before this extension sees a result; see `stamp_syntax_error`).
"""

from __future__ import annotations

from collections.abc import Iterator

import structlog
from graphql import FieldNode, GraphQLError, get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext, ExecutionResult, StreamExecutionResult

from limits.codes import LimitExceeded
from limits.parsing import PARSER_STOPPED_AT_LIMIT
from resolvers.context import Context
from resolvers.errors import describe
from schema.extensions.hardening import without_suggestions

log = structlog.get_logger("tradergraph.errors")


class ErrorCodes(SchemaExtension):
    """Attach codes to every error and mask what is not meant for the client."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self.translate(error) for error in errors]

    def _context(self) -> Context | None:
        context = self.execution_context.context
        return context if isinstance(context, Context) else None

    def translate(self, error: GraphQLError) -> GraphQLError:
        """`error` with its code and request id, masked unless meant for the client (also used by
        `StreamErrorCodes` on each subscription event)."""
        context = self._context()
        request_id = context.request_id if context else None
        original = error.original_error
        development = context is not None and context.settings.mode == "development"
        if error.path is None:  # before execution: the request itself is wrong, say how
            message = error.message if development else without_suggestions(error.message)
            return _rebuilt(error, message, _before_execution(original, request_id))
        described = describe(original) if original else describe(error)
        if described.code == "INTERNAL_ERROR":
            log.error("unexpected error", request_id=request_id, exc_info=original)
        extensions: dict[str, object] = {
            "code": described.code,
            **described.extensions,
            "requestId": request_id,
        }
        if development:
            extensions["detail"] = str(original or error.message)
        return _rebuilt(error, described.message, extensions)


def _before_execution(original: Exception | None, request_id: str | None) -> dict[str, object]:
    """A limit's refusal (limits/) names its own code; otherwise validation or the variables."""
    if isinstance(original, LimitExceeded):
        return {"code": original.code, **original.extensions, "requestId": request_id}
    code = "GRAPHQL_VALIDATION_FAILED" if original is None else "BAD_USER_INPUT"
    return {"code": code, "requestId": request_id}


def stamp_syntax_error(error: GraphQLError, execution_context: ExecutionContext | None) -> None:
    """Give a syntax error (which no extension sees) its code and the request id, in place."""
    if error.original_error is not None or (error.extensions or {}).get("code"):
        return
    context = execution_context.context if execution_context else None
    too_long = PARSER_STOPPED_AT_LIMIT in error.message
    extensions: dict[str, object] = {
        "code": "TOO_MANY_TOKENS" if too_long else "GRAPHQL_PARSE_FAILED"
    }
    if isinstance(context, Context):
        extensions["requestId"] = context.request_id
    error.extensions = extensions


def _rebuilt(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={key: value for key, value in extensions.items() if value is not None},
    )


class StreamErrorCodes(ErrorCodes):
    """`ErrorCodes` for each event of a subscription, which `on_operation` never sees one by one.

    Errors are coded just before the event is sent, then given back as they were, so
    `ErrorCodes.on_operation` (which sees the last event once the subscription ends, after it
    was sent) works on the originals as for a query. A failure of the stream after it started
    carries no path, unlike the refusals of a resolver; it is coded as an execution error, never
    shown raw as if the request were at fault.
    """

    def on_operation(self) -> Iterator[None]:
        """Nothing here: `ErrorCodes` itself codes every operation's result once."""
        yield

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        if not isinstance(result, ExecutionResult):  # incremental frames: not from subscriptions
            yield
            return
        original = result.errors
        if original:
            field = _root_field(self.execution_context)
            result.errors = [self.translate(_located(error, field)) for error in original]
        yield
        result.errors = original


def _located(error: GraphQLError, field: str) -> GraphQLError:
    """A stream's own failure as an error of the subscription's field (its path); a refusal
    before execution (a limit, the rate) stays the request's own error."""
    failed = error.original_error
    if error.path is not None or error.nodes or failed is None:
        return error
    if isinstance(failed, GraphQLError | LimitExceeded):
        return error
    return GraphQLError(error.message, path=[field], original_error=failed)


def _root_field(context: ExecutionContext) -> str:
    """The response key of the subscription's one root field."""
    operation = context.graphql_document and get_operation_ast(
        context.graphql_document, context.operation_name
    )
    for selection in operation.selection_set.selections if operation else ():
        if isinstance(selection, FieldNode):
            return (selection.alias or selection.name).value
    return "subscription"
