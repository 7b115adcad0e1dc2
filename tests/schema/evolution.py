"""The schema guard: every difference between the released schema and today's, classified.

`schema/released.graphql` is the schema as last released; `schema.graphql` is today's.
graphql-core's `find_schema_changes` classifies each difference as breaking, dangerous or safe:
`find_breaking_changes` and `find_dangerous_changes` are filters over it (deprecated since
graphql-core 3.3 in its favour), so this sees the same changes and the safe rest. A breaking or
dangerous change must be announced in CHANGELOG.md, and so must a newly deprecated field:

- a change is named by its **schema coordinate** in backticks: `` `Type` ``, `` `Type.field` ``,
  `` `Enum.VALUE` ``, `` `Input.field` ``, `` `Type.field(arg:)` ``, `` `@directive` ``;
- the entry stands in the `## [Unreleased]` section, under `### Removed` or `### Changed` for a
  breaking change, under `### Deprecated` for a new deprecation, under any heading of that section
  for a dangerous change (a new enum value or optional argument usually goes under `### Added`).

docs/schema-evolution.md says the same for people, and when to refresh the released copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from graphql import (
    DEFAULT_DEPRECATION_REASON,
    BreakingChange,
    DangerousChange,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    SchemaChange,
    build_schema,
    find_schema_changes,
)


class Severity(Enum):
    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"
    DEPRECATION = "deprecation"


@dataclass(frozen=True)
class Difference:
    severity: Severity
    kind: str
    description: str
    coordinates: tuple[str, ...]
    """The schema coordinates the change is about; naming any one of them announces it."""


HEADINGS = {
    Severity.BREAKING: ("Removed", "Changed"),
    Severity.DEPRECATION: ("Deprecated",),
}
_TOKEN = re.compile(r"@?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?(?:\([A-Za-z_]\w*:?\))?")


def coordinates_of(schema: GraphQLSchema) -> set[str]:
    """Every schema coordinate the schema defines (types, fields, values, arguments, directives)."""
    known: set[str] = set()
    for name, kind in schema.type_map.items():
        known.add(name)
        known |= _members(name, kind)
    for directive in schema.directives:
        known.add(f"@{directive.name}")
        known |= {f"@{directive.name}({arg}:)" for arg in directive.args}
    return known


def _members(name: str, kind: object) -> set[str]:
    if isinstance(kind, GraphQLEnumType):
        return {f"{name}.{value}" for value in kind.values}
    if isinstance(kind, GraphQLInputObjectType):
        return {f"{name}.{field}" for field in kind.fields}
    if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
        fields = {f"{name}.{field}" for field in kind.fields}
        args = {f"{name}.{f}({a}:)" for f, field in kind.fields.items() for a in field.args}
        return fields | args
    return set()


def _named(description: str, known: set[str]) -> tuple[str, ...]:
    """The coordinates a description names: its members, arguments and directives if it names
    any (`Field Account.login changed type from Int to String` is about `Account.login`, not
    `Int`), else its types (`Trade was removed from union type Event` names both)."""
    found = [_canonical(token) for token in _TOKEN.findall(description)]
    named = [token for token in dict.fromkeys(found) if token in known]
    specific = [token for token in named if re.search(r"[.(@]", token)]
    return tuple(specific or named)


def _canonical(token: str) -> str:
    """`Type.field(arg)` (as descriptions of description changes write it) is `Type.field(arg:)`."""
    return token.replace(")", ":)").replace("::)", ":)") if "(" in token else token


def classify(released_sdl: str, current_sdl: str) -> list[Difference]:
    """Every difference from the released schema to the current one, with its severity."""
    released, current = build_schema(released_sdl), build_schema(current_sdl)
    known = coordinates_of(released) | coordinates_of(current)
    found = [_difference(change, known) for change in find_schema_changes(released, current)]
    return found + _new_deprecations(released, current)


def _difference(change: SchemaChange, known: set[str]) -> Difference:
    severity = (
        Severity.BREAKING
        if isinstance(change, BreakingChange)
        else Severity.DANGEROUS
        if isinstance(change, DangerousChange)
        else Severity.SAFE
    )
    named = _named(change.description, known)
    return Difference(severity, change.type.name, change.description, named)


def deprecated(schema: GraphQLSchema) -> dict[str, str | None]:
    """Every deprecated field, argument, input field and enum value, with its reason."""
    found: dict[str, str | None] = {}
    for name, kind in schema.type_map.items():
        if isinstance(kind, GraphQLEnumType):
            for value_name, value in kind.values.items():
                if value.deprecation_reason is not None:
                    found[f"{name}.{value_name}"] = value.deprecation_reason
        if isinstance(kind, GraphQLInputObjectType):
            for field_name, input_field in kind.fields.items():
                if input_field.deprecation_reason is not None:
                    found[f"{name}.{field_name}"] = input_field.deprecation_reason
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in kind.fields.items():
                if field.deprecation_reason is not None:
                    found[f"{name}.{field_name}"] = field.deprecation_reason
                for arg_name, arg in field.args.items():
                    if arg.deprecation_reason is not None:
                        found[f"{name}.{field_name}({arg_name}:)"] = arg.deprecation_reason
    return found


def without_reason(schema: GraphQLSchema) -> list[str]:
    """The deprecations that do not say why: no reason, an empty one, or graphql's default."""
    return sorted(
        coordinate
        for coordinate, reason in deprecated(schema).items()
        if not (reason or "").strip() or reason == DEFAULT_DEPRECATION_REASON
    )


def _new_deprecations(released: GraphQLSchema, current: GraphQLSchema) -> list[Difference]:
    before = deprecated(released)
    return [
        Difference(
            Severity.DEPRECATION, "DEPRECATED", f"{coordinate} was deprecated.", (coordinate,)
        )
        for coordinate in sorted(deprecated(current))
        if coordinate not in before
    ]


def unreleased_entries(changelog: str) -> dict[str, str]:
    """The `## [Unreleased]` section of a Keep a Changelog file, heading by heading."""
    section = re.search(r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    if section is None:
        return {}
    parts = re.split(r"^### +(.+?) *$", section.group(1), flags=re.M)
    return {heading: body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def unannounced(differences: list[Difference], changelog: str) -> list[Difference]:
    """The breaking, dangerous and deprecation differences that CHANGELOG.md does not announce."""
    entries = unreleased_entries(changelog)
    return [
        difference
        for difference in differences
        if difference.severity is not Severity.SAFE and not _announced(difference, entries)
    ]


def _announced(difference: Difference, entries: dict[str, str]) -> bool:
    headings = HEADINGS.get(difference.severity, tuple(entries))
    text = "\n".join(entries.get(heading, "") for heading in headings)
    return any(f"`{coordinate}`" in text for coordinate in difference.coordinates)
