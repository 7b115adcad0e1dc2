"""`RateLimits`: the Strawberry extension that counts each operation against its caller's rate.

Three kinds, each with its own limit per window: queries, mutations, and money mutations (far
stricter; a document holds at most one). The key is the caller's name (`1002`, `partner:IB-1`),
or `anonymous` before login. Over the limit, the operation is refused before execution with
`RATE_LIMITED` and `extensions.retryAfter`, whole seconds until the window turns.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

from graphql import OperationType, get_operation_ast
from strawberry.extensions import SchemaExtension

from auth.rules import root_fields
from limits.codes import LimitExceeded
from limits.cost import MONEY_MUTATIONS
from resolvers.context import Context
from settings import ServiceSettings


class RateLimits(SchemaExtension):
    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        request = context.context
        if isinstance(request, Context) and not context.pre_execution_errors:
            kind = self._kind()
            if kind is not None:
                refusal = await _refusal(request, kind)
                if refusal is not None:
                    context.pre_execution_errors = [refusal.as_graphql_error()]
            if request.admission is not None and not context.pre_execution_errors:
                request.admission.admitted = True  # limits/admission.py
        yield

    def _kind(self) -> str | None:
        document = self.execution_context.graphql_document
        if document is None:
            return None
        operation = get_operation_ast(document, self.execution_context.operation_name)
        if operation is None or operation.operation == OperationType.SUBSCRIPTION:
            return None
        if operation.operation == OperationType.QUERY:
            return "query"
        money = root_fields(document, operation) & MONEY_MUTATIONS
        return "money" if money else "mutation"


def _limit(settings: ServiceSettings, kind: str) -> int:
    limits = {"query": settings.rate_queries, "mutation": settings.rate_mutations}
    return limits.get(kind, settings.rate_money_mutations)


async def _refusal(context: Context, kind: str) -> LimitExceeded | None:
    settings = context.settings
    caller = context.identity.name if context.identity is not None else "anonymous"
    limit, window = _limit(settings, kind), settings.rate_window_seconds
    wait = await context.services.rates.hit(f"{caller}:{kind}", limit, window)
    if wait is None:
        return None
    seconds = max(1, math.ceil(wait))
    message = f"Too many {kind} requests: at most {limit} per {window:g} s; retry in {seconds} s."
    return LimitExceeded("RATE_LIMITED", message, retryAfter=seconds)
