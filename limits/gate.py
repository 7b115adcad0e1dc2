"""The caller checks of the front door, on the one parsed document (limits/stage.py).

- An anonymous caller may ask for nothing but `login` (and `__typename`): anything else is a
  401 `UNAUTHENTICATED`, as is an unknown token (auth.identify).
- A request holds at most one `login` field, aliases and fragments included: ten aliased logins
  would be ten password guesses for the price of one request (`TOO_MANY_LOGINS`).
- `login`'s `managerLogin`, read from the document or its variables, keys the login throttle
  (auth/throttle.py) before any upstream call.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    value_from_ast_untyped,
)

from auth.callers import Caller
from limits.codes import HttpRefusal

ANONYMOUS_FIELDS = frozenset({"login", "__typename"})
LOG_IN_FIRST = "Log in first: send 'Authorization: Bearer <token>' (the login mutation gives one)."
UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": "Bearer"}
TOO_MANY_LOGINS = HttpRefusal(400, "TOO_MANY_LOGINS", "A request may hold one `login` field.")


def unauthenticated(message: str) -> HttpRefusal:
    return HttpRefusal(401, "UNAUTHENTICATED", message, UNAUTHENTICATED_HEADERS)


def gate(
    caller: Caller | None, document: DocumentNode, operation: OperationDefinitionNode
) -> HttpRefusal | None:
    """Why this caller may not send this operation at all, if they may not."""
    if caller is None and not _only_login(operation):
        return unauthenticated(LOG_IN_FIRST)
    if len(login_fields(document, operation)) > 1:
        return TOO_MANY_LOGINS
    return None


def _only_login(operation: OperationDefinitionNode) -> bool:
    fields = operation.selection_set.selections
    return all(isinstance(f, FieldNode) and f.name.value in ANONYMOUS_FIELDS for f in fields)


def login_fields(document: DocumentNode, operation: OperationDefinitionNode) -> list[FieldNode]:
    """Every root `login` field of the operation, through fragments, each alias on its own."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    found: list[FieldNode] = []
    pending, seen = [operation.selection_set], set[str]()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode) and selection.name.value == "login":
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if (fragment := fragments.get(selection.name.value)) is not None:
                    pending.append(fragment.selection_set)
    return found


def manager_of(field: FieldNode, variables: dict[str, object] | None) -> int | None:
    """The `managerLogin` the field names, as GraphQL's `Int` will read it (`1002.0` is 1002)."""
    for argument in field.arguments or ():
        if argument.name.value == "managerLogin":
            value = value_from_ast_untyped(argument.value, variables or {})
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None
