"""The schema as released, against today's: a breaking change needs its CHANGELOG entry.

The rules are in tests/schema/evolution.py and docs/schema-evolution.md.
"""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from tests.schema.evolution import Difference, Severity, classify, unannounced, without_reason

ROOT = Path(__file__).resolve().parents[2]
RELEASED = (ROOT / "schema" / "released.graphql").read_text(encoding="utf-8")
CURRENT = (ROOT / "schema.graphql").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

SDL = """
type Query { account: Account! }

type Account {
  login: Int!
  balance: Int!
  status: Status!
}

enum Status { ACTIVE BLOCKED }
"""
HEADER = "# Changelog\n\n## [Unreleased]\n\n"
RELEASED_SECTION = "\n## [0.1.0] - 2026-11-30\n\n### Removed\n- `Account.balance`: gone.\n"


def without_balance(sdl: str) -> str:
    return sdl.replace("  balance: Int!\n", "")


def report(differences: list[Difference]) -> str:
    return "\n".join(f"{d.severity.value}: {d.description} {d.coordinates}" for d in differences)


def test_every_breaking_change_since_the_release_is_announced_in_the_changelog() -> None:
    missing = unannounced(classify(RELEASED, CURRENT), CHANGELOG)
    assert missing == [], (
        "announce these in CHANGELOG.md's [Unreleased] section by their coordinate in backticks "
        "(breaking: under Removed or Changed; deprecated: under Deprecated; dangerous: any "
        "heading), see docs/schema-evolution.md:\n" + report(missing)
    )


def test_the_released_copy_is_a_valid_schema() -> None:
    assert build_schema(RELEASED).query_type is not None


def test_a_field_removed_without_an_entry_fails_the_guard() -> None:
    differences = classify(SDL, without_balance(SDL))
    assert unannounced(differences, HEADER + "### Added\n- `Account.login`\n") == [
        Difference(
            Severity.BREAKING,
            "FIELD_REMOVED",
            "Field Account.balance was removed.",
            ("Account.balance",),
        )
    ]


def test_a_removal_announced_under_removed_passes() -> None:
    changelog = HEADER + "### Removed\n- `Account.balance`: read `Account.equity` instead.\n"
    assert unannounced(classify(SDL, without_balance(SDL)), changelog) == []


def test_a_removal_named_under_added_or_in_a_released_version_does_not_count() -> None:
    for changelog in (
        HEADER + "### Added\n- `Account.balance` is gone.\n",
        HEADER + "### Changed\n- Account.balance is gone (no backticks).\n",
        HEADER + "### Changed\n- `Account.balanceUsd` is gone.\n",
        HEADER + "### Fixed\n- nothing\n" + RELEASED_SECTION,
    ):
        assert [
            d.coordinates for d in unannounced(classify(SDL, without_balance(SDL)), changelog)
        ] == [("Account.balance",)], changelog


def test_the_real_schema_without_a_field_fails_against_the_real_changelog() -> None:
    """Today's schema.graphql with `Account.balance` cut out, as a careless edit would."""
    account = CURRENT.index("\ntype Account ")
    cut = CURRENT.index("  balance: Money!\n", account)
    edited = CURRENT[:cut] + CURRENT[cut + len("  balance: Money!\n") :]
    missing = unannounced(classify(CURRENT, edited), CHANGELOG)
    assert [(d.severity, d.kind, d.coordinates) for d in missing] == [
        (Severity.BREAKING, "FIELD_REMOVED", ("Account.balance",))
    ]


def test_a_type_change_and_a_removed_enum_value_are_breaking_and_named() -> None:
    changed = SDL.replace("login: Int!", "login: String!").replace("ACTIVE BLOCKED", "ACTIVE")
    assert [(d.severity, d.kind, d.coordinates) for d in classify(SDL, changed)] == [
        (Severity.BREAKING, "FIELD_CHANGED_KIND", ("Account.login",)),
        (Severity.BREAKING, "VALUE_REMOVED_FROM_ENUM", ("Status.BLOCKED",)),
    ]


def test_a_new_enum_value_is_dangerous_and_announced_under_any_heading() -> None:
    grown = SDL.replace("ACTIVE BLOCKED", "ACTIVE BLOCKED CLOSED")
    differences = classify(SDL, grown)
    assert [(d.severity, d.coordinates) for d in differences] == [
        (Severity.DANGEROUS, ("Status.CLOSED",))
    ]
    assert unannounced(differences, HEADER + "### Added\n- `Status.CLOSED`\n") == []
    assert unannounced(differences, HEADER + "### Added\n- a status\n") == differences


def test_an_added_field_is_safe_and_needs_no_entry() -> None:
    grown = SDL.replace("  status: Status!\n", "  status: Status!\n  equity: Int\n")
    differences = classify(SDL, grown)
    assert [(d.severity, d.kind) for d in differences] == [(Severity.SAFE, "FIELD_ADDED")]
    assert unannounced(differences, HEADER) == []


def test_a_new_deprecation_is_announced_under_deprecated() -> None:
    marked = SDL.replace("balance: Int!", 'balance: Int! @deprecated(reason: "Use equity.")')
    differences = classify(SDL, marked)
    assert [(d.severity, d.coordinates) for d in differences] == [
        (Severity.DEPRECATION, ("Account.balance",))
    ]
    assert unannounced(differences, HEADER + "### Deprecated\n- `Account.balance`\n") == []
    assert unannounced(differences, HEADER + "### Changed\n- `Account.balance`\n") == differences


def test_every_deprecation_in_the_schema_says_why() -> None:
    assert without_reason(build_schema(CURRENT)) == []


def test_a_deprecation_without_a_reason_is_found() -> None:
    marked = SDL.replace("balance: Int!", "balance: Int! @deprecated").replace(
        "login: Int!", 'login: Int! @deprecated(reason: "")'
    )
    marked = marked.replace("ACTIVE BLOCKED", 'ACTIVE BLOCKED @deprecated(reason: "Closed.")')
    assert without_reason(build_schema(marked)) == ["Account.balance", "Account.login"]
