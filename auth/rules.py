"""`CallerRules`: what a caller may not ask at all, refused before execution.

- A read-only caller (a `--read-only` partner key) runs no mutation but `login`/`logout`.
- A partner key never reaches money: no money mutation, no `moneyMovements`, no `transfer`.

Managers logged in with their own token are held by the upstream itself (a read-only manager's
writes come back `FORBIDDEN`); these rules cover the callers the upstream cannot tell apart.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension

from auth.callers import Caller
from limits.codes import LimitExceeded
from limits.cost import MONEY_MUTATIONS
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


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> set[str]:
    """The names of the operation's root fields, through fragments (a spread hides nothing)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: set[str] = set()
    pending, seen = [operation.selection_set], set[str]()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if (fragment := fragments.get(selection.name.value)) is not None:
                    pending.append(fragment.selection_set)
    return names


def _refusal(caller: Caller, operation: OperationDefinitionNode, fields: set[str]) -> str | None:
    mutation = operation.operation == OperationType.MUTATION
    if caller.partner is not None and fields & (MONEY_MUTATIONS | MONEY_QUERIES):
        return NO_MONEY
    if caller.read_only and mutation and not fields <= SESSION_FIELDS:
        return READ_ONLY
    return None
