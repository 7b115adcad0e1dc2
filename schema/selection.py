"""What a field's sub-selection asks for, fragments included, to ask the upstream for no more.

Read from the operation's syntax tree (graphql-core's field nodes), grouped the way execution
groups them: the nodes of one response key (an alias, or the field's name) are merged, fragments
are looked through, and `@skip`/`@include` are honoured. So what a list warms for its nodes
(`schema/batched.py`) is exactly what each node's field then asks for. Strawberry's
`info.selected_fields` would rebuild the whole sub-tree as its own objects on every call; a
field that runs once per node cannot afford that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    VariableNode,
)

from resolvers.context import Info

Group = list[FieldNode]
"""The field nodes of one response key: what the field's resolver gets as `field_nodes`."""


class _Tree:
    """The operation's fragments and variables, which a walk needs at every step."""

    def __init__(self, info: Info) -> None:
        raw = info._raw_info  # Strawberry exposes no public view of the field nodes
        self.field_nodes: list[FieldNode] = list(raw.field_nodes)
        self.fragments: Mapping[str, FragmentDefinitionNode] = raw.fragments
        self.variables: Mapping[str, Any] = info.variable_values

    def _condition(self, directive: DirectiveNode) -> bool:
        """The `if:` of `@skip` or `@include` (validation made it a Boolean! or a variable)."""
        value = next(arg.value for arg in directive.arguments or () if arg.name.value == "if")
        if isinstance(value, VariableNode):
            return bool(self.variables.get(value.name.value))
        return isinstance(value, BooleanValueNode) and value.value

    def _included(self, node: SelectionNode) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name in ("skip", "include") and self._condition(directive) == (name == "skip"):
                return False
        return True

    def _fields(self, selections: Iterable[SelectionNode]) -> Iterator[FieldNode]:
        for selection in selections:
            if selection.directives and not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set.selections)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    yield from self._fields(fragment.selection_set.selections)

    def children(self, group: Group) -> Iterator[FieldNode]:
        for node in group:
            if node.selection_set is not None:
                yield from self._fields(node.selection_set.selections)

    def groups(self, group: Group) -> list[Group]:
        """The sub-fields of `group` by response key, in order of first appearance."""
        grouped: dict[str, Group] = {}
        for node in self.children(group):
            grouped.setdefault((node.alias or node.name).value, []).append(node)
        return list(grouped.values())


def selected_names(info: Info) -> frozenset[str]:
    """The field names selected under the field being resolved; worked out once per request for
    each group of field nodes (the request's document holds them, so their ids stay theirs)."""
    known = info.context.loaders.selected
    key = tuple(map(id, info._raw_info.field_nodes))
    names = known.get(key)
    if names is None:
        tree = _Tree(info)
        names = known[key] = frozenset(node.name.value for node in tree.children(tree.field_nodes))
    return names


def groups_under(info: Info, *path: str) -> list[tuple[str, frozenset[str]]]:
    """The fields under `path` from the field being resolved (names, not aliases), one per
    response key: its field name and the names selected under it."""
    tree = _Tree(info)
    level = [tree.field_nodes]
    for name in path:
        level = [sub for group in level for sub in tree.groups(group) if sub[0].name.value == name]
    return [
        (sub[0].name.value, frozenset(node.name.value for node in tree.children(sub)))
        for group in level
        for sub in tree.groups(group)
    ]
