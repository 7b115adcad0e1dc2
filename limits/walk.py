"""One walk over an operation, fragments expanded, measuring what the limits bound; and the
directives of a whole document, counted before validation reports any of them.

The walk expands fragment spreads where they are used, so a fragment spread ten times counts ten
times (fragment amplification), and stops at the first limit passed: its own work is bounded by
`max_selections` and `max_depth` however the fragments nest. It tolerates a document that did
not validate (unknown fields are priced at nothing; a fragment cycle is cut), because it also
runs on documents that validation is about to refuse.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)

from limits.cost import MONEY_MUTATIONS, price
from limits.measure import Bounds, Measure


class Walk:
    """Walks one operation of `document` against `schema`; `run()` raises `LimitExceeded`."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, object],
        bounds: Bounds,
    ) -> None:
        self._schema, self._operation, self._bounds = schema, operation, bounds
        self._limits = bounds.limits
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._variables = {**_variable_defaults(operation), **variables}
        self.measure = Measure(bounds)

    def run(self) -> Measure:
        root = self._schema.get_root_type(self._operation.operation)
        self.measure.directives_seen(len(self._operation.directives or ()))
        for definition in self._operation.variable_definitions or ():
            self.measure.directives_seen(len(definition.directives or ()))
        self._walk(self._operation.selection_set, root, 1, 1, (), frozenset())
        self.measure.check_budget()
        return self.measure

    def _walk(
        self,
        selections: SelectionSetNode,
        parent: GraphQLNamedType | None,
        depth: int,
        objects: int,
        path: tuple[str, ...],
        open_fragments: frozenset[str],
    ) -> None:
        for selection in selections.selections:
            self.measure.directives_seen(len(selection.directives or ()))
            if isinstance(selection, FieldNode):
                self._field(selection, parent, depth, objects, path, open_fragments)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._schema.get_type(condition.name.value) if condition else parent
                self._walk(selection.selection_set, inner, depth, objects, path, open_fragments)
                continue
            if isinstance(selection, FragmentSpreadNode):
                self._spread(selection, depth, objects, path, open_fragments)

    def _spread(
        self,
        spread: FragmentSpreadNode,
        depth: int,
        objects: int,
        path: tuple[str, ...],
        open_fragments: frozenset[str],
    ) -> None:
        name = spread.name.value
        fragment = self._fragments.get(name)
        if fragment is None or name in open_fragments:  # unknown or a cycle: validation says so
            return
        self.measure.directives_seen(len(fragment.directives or ()))
        inner = self._schema.get_type(fragment.type_condition.name.value)
        self._walk(fragment.selection_set, inner, depth, objects, path, open_fragments | {name})

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        depth: int,
        objects: int,
        path: tuple[str, ...],
        open_fragments: frozenset[str],
    ) -> None:
        aliased = node.alias is not None and node.alias.value != node.name.value
        self.measure.selection(depth, aliased)
        definition = _field_of(parent, node.name.value)
        args = self._arguments(node, definition)
        self.measure.page(node.name.value, args.get("first"))
        key = node.alias.value if node.alias else node.name.value
        children = self._charge(parent, node.name.value, objects, args, path)
        if node.selection_set is not None and definition is not None:
            inner = get_named_type(definition.type)
            self._walk(node.selection_set, inner, depth + 1, children, (*path, key), open_fragments)

    def _charge(
        self,
        parent: GraphQLNamedType | None,
        name: str,
        objects: int,
        args: dict[str, object],
        path: tuple[str, ...],
    ) -> int:
        if parent is None:
            return objects
        cost = price(self._bounds.plan, parent.name, name, objects, args)
        self.measure.charge(cost, path)
        if parent.name == "Mutation" and name in MONEY_MUTATIONS:
            self.measure.money_mutation()
        return cost.children

    def _arguments(self, node: FieldNode, definition: GraphQLField | None) -> dict[str, object]:
        given = {
            a.name.value: value_from_ast_untyped(a.value, self._variables)
            for a in node.arguments or ()
        }
        defaults = {
            name: arg.default_value
            for name, arg in (definition.args.items() if definition else ())
            if isinstance(arg.default_value, int | str)
        }
        return {**defaults, **given}


def _field_of(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, object]:
    return {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }


def directives_in(document: DocumentNode) -> int:
    """Every directive written anywhere in `document`, known or not, used or not: unknown ones
    would otherwise reach the client as one validation error each, never counted by a limit.
    A plain walk of the nodes that can carry directives (graphql-core's generic `visit` costs
    about ten times as much, on every request)."""
    count = 0
    pending: list[object] = list(document.definitions)
    while pending:
        node = pending.pop()
        count += len(getattr(node, "directives", None) or ())
        if isinstance(node, OperationDefinitionNode):
            pending.extend(node.variable_definitions or ())
        selections = getattr(node, "selection_set", None)
        if isinstance(selections, SelectionSetNode):
            pending.extend(selections.selections)
    return count
