"""`ProductionHardening`: what production mode hides from a client probing the schema.

In production, introspection (`__schema`, `__type`) is refused by graphql-core's
`NoSchemaIntrospectionCustomRule`, and no error message carries a "Did you mean ...?"
suggestion, which would otherwise spell the schema out one guess at a time: `without_suggestions`
is applied by the error extension (`error_codes.py`) to every error raised before execution,
whatever made it (validation of fields, arguments, types, directives and enum values, the
coercion of variables and of the input fields inside them). `__typename` stays. Development mode
(the demo, GraphiQL's docs explorer) keeps both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from resolvers.context import Context
from settings import Mode

SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")
"""graphql-core's suggestions: "Did you mean 'a', 'b', or 'c'?", "Did you mean the enum value
'A'?", "Did you mean to use an inline fragment on 'T'?"; names hold no "?", so one match ends at
its own question mark, wherever in the message it stands."""


def without_suggestions(message: str) -> str:
    return SUGGESTION.sub("", message)


class ProductionHardening(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context) and context.settings.mode == Mode.PRODUCTION:
            rules = self.execution_context.validation_rules
            self.execution_context.validation_rules = (*rules, NoSchemaIntrospectionCustomRule)
        yield
