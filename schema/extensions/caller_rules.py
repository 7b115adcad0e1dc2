"""`CallerRules`: what a caller may not ask at all, refused before execution.

- A read-only caller (a `--read-only` partner key) runs no mutation but `login`/`logout`.
- A partner key never reaches money: no money mutation, no `moneyMovements`, no `transfer`.

Managers logged in with their own token are held by the upstream itself (a read-only manager's
writes come back `FORBIDDEN`); these rules cover the callers the upstream cannot tell apart.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension

from auth.callers import Caller
from limits.codes import LimitExceeded
from limits.cost import MONEY_MUTATIONS
from limits.parsing import root_fields
from resolvers.context import Context

SESSION_FIELDS = frozenset({"login", "logout", "__typename"})
MONEY_QUERIES = frozenset({"moneyMovements", "transfer"})
READ_ONLY = "Read-only callers may not run mutations."
NO_MONEY = "Partner keys have no access to money movements."


class CallerRules(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        caller, document = _caller(context.context), context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        if caller and document and operation and not context.pre_execution_errors:
            refusal = _refusal(caller, operation, root_fields(document, operation))
            if refusal is not None:
                refused = LimitExceeded("FORBIDDEN", refusal)
                context.pre_execution_errors = [refused.as_graphql_error()]
        yield


def _caller(context: object) -> Caller | None:
    return context.who if isinstance(context, Context) else None


def _refusal(caller: Caller, operation: OperationDefinitionNode, fields: set[str]) -> str | None:
    mutation = operation.operation == OperationType.MUTATION
    if caller.partner is not None and fields & (MONEY_MUTATIONS | MONEY_QUERIES):
        return NO_MONEY
    if caller.read_only and mutation and not fields <= SESSION_FIELDS:
        return READ_ONLY
    return None
