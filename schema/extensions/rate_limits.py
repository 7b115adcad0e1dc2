"""`RateLimits`: the Strawberry extension that counts operations the front door did not count,
and marks admitted operations.

Over HTTP the stage counts every request before anything else refuses it (limits/stage.py).
Operations that reach Strawberry without it, the websocket's subscribe messages above all, are
counted here against who the connection's `connection_init` named (`Context.who`), whether or
not they validate; a subscription counts as a query. Over the limit the operation is refused
before execution with `RATE_LIMITED` and `extensions.retryAfter`, whole seconds until the window
turns. The websocket serves subscriptions only: a query or mutation sent there is refused
(`SUBSCRIPTIONS_ONLY`), so it cannot pass by the door's checks (the caller gate, the login
throttle). An operation that passed every check is marked admitted (`limits/admission.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import OperationType, get_operation_ast
from strawberry.extensions import SchemaExtension

from limits.codes import LimitExceeded
from limits.parsing import kind_of
from limits.stage import rate_limit, rate_refusal
from resolvers.context import Context

SUBSCRIPTIONS_ONLY = "The websocket serves subscriptions; send queries and mutations over HTTP."


class RateLimits(SchemaExtension):
    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        request = context.context
        if isinstance(request, Context):
            if request.asked is None:
                refusal = await self._refusal(request)
                if refusal is not None:
                    context.pre_execution_errors = [refusal.as_graphql_error()]
            if request.admission is not None and not context.pre_execution_errors:
                request.admission.admitted = True  # limits/admission.py
        yield

    async def _refusal(self, request: Context) -> LimitExceeded | None:
        document = self.execution_context.graphql_document
        if document is None:
            return None
        operation = get_operation_ast(document, self.execution_context.operation_name)
        subscription = operation is not None and operation.operation == OperationType.SUBSCRIPTION
        if request.over_socket and not subscription:
            return LimitExceeded("SUBSCRIPTIONS_ONLY", SUBSCRIPTIONS_ONLY)
        kind = kind_of(document, operation)
        settings, caller = request.settings, request.who
        key = f"{caller.name if caller is not None else 'anonymous'}:{kind}"
        limit, window = rate_limit(settings, kind), settings.rate_window_seconds
        wait = await request.services.rates.hit(key, limit, window)
        if wait is None:
            return None
        refusal = rate_refusal(settings, kind, wait)
        return LimitExceeded(refusal.code, refusal.message, **refusal.extensions)
