"""What a field's sub-selection asks for, fragments included, to ask the upstream for no more."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, looking through fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, InlineFragment | FragmentSpread):
            yield from _fields(selection.selections)


def fields_under(info: Info, *path: str) -> list[SelectedField]:
    """Every field reached from the field being resolved along `path` (names, not aliases)."""
    level = [field for field in info.selected_fields if isinstance(field, SelectedField)]
    for name in path:
        level = [child for field in level for child in _fields(field.selections)]
        level = [child for child in level if child.name == name]
    return level


def names_of(fields: Iterable[SelectedField]) -> set[str]:
    """The names selected under any of `fields`."""
    return _names(child for field in fields for child in field.selections)
