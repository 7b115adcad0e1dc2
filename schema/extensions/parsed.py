"""`ParsedOnce`: Strawberry's parse step, answered from the front door's own parse.

Over HTTP the stage (limits/stage.py) has already parsed the document, with the token cap, and
the request's `Context` carries it (`context.asked.document`): this hook hands it to Strawberry,
whose own parse then has nothing to do. Elsewhere (a websocket's operations, a test calling
`schema.execute`) it parses through the same cached, capped parser (limits/parsing.py); a
document that does not parse is left to Strawberry, which reports the error in its usual place.
It stands where `ParserCache` would, before validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from limits.parsing import parse_document
from resolvers.context import Context


class ParsedOnce(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        asked = context.asked if isinstance(context, Context) else None
        if asked is not None and asked.text == execution.query:
            execution.graphql_document = asked.document
        elif isinstance(context, Context) and execution.query is not None:
            with suppress(GraphQLError):  # Strawberry parses it again and reports the error
                execution.graphql_document = parse_document(
                    execution.query, context.settings.max_tokens
                )
        yield
