"""What a field's sub-selection asks for, fragments included, to ask the upstream for no more."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from resolvers.context import Info


def _names(selections: Iterable[Selection]) -> set[str]:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        elif isinstance(selection, InlineFragment | FragmentSpread):
            names |= _names(selection.selections)
    return names


def selected_names(info: Info) -> set[str]:
    """The field names selected under the field being resolved."""
    return _names(
        child
        for field in info.selected_fields
        if isinstance(field, SelectedField)
        for child in field.selections
    )
