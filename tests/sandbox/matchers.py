"""Whole-value assertions over the sandbox's answers.

A `Matcher` equals whatever satisfies its rule, so an expected value can hold one where the test
cannot derive the exact value (`OfType`, `Matches`, `OneOf`, and the ready-made `ANY_*`), and a
whole body is still compared at once. `error_body` is the documented error body (§1.8),
`outcome` a response's status and JSON body together, and `project` the expected keys of an
actual value (a missing one as MISSING, which ABSENT matches). `At`, for times, is in `clock`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

from tests.sandbox.wire import Json


class Matcher:
    """A value that equals whatever satisfies a rule, so whole values can be compared at once."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return f"<{self.label}>"

    def accepts(self, other: object) -> bool:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return self.accepts(other)

    __hash__ = None  # type: ignore[assignment]


class OfType(Matcher):
    """Any value of the given JSON types (bool is never accepted as a number)."""

    def __init__(self, *kinds: type) -> None:
        super().__init__("any " + "|".join(kind.__name__ for kind in kinds))
        self.kinds = kinds

    def accepts(self, other: object) -> bool:
        if isinstance(other, bool) and not {bool, object} & set(self.kinds):
            return False
        return isinstance(other, self.kinds)


class Matches(Matcher):
    """Any string matching the regular expression in full."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"text matching {pattern}")
        self.pattern = re.compile(pattern)

    def accepts(self, other: object) -> bool:
        return isinstance(other, str) and self.pattern.fullmatch(other) is not None


class OneOf(Matcher):
    """Any of the listed values (an enum field whose value the test cannot derive)."""

    def __init__(self, *values: object) -> None:
        super().__init__(f"one of {values}")
        self.values = values

    def accepts(self, other: object) -> bool:
        return other in self.values


MISSING = "<absent>"
ANY_TEXT = Matches(r"(?s).+")
ABSENT = OneOf(MISSING)
ANY_INT = OfType(int)
ANY_NUMBER = OfType(int, float)
ANY_BOOL = OfType(bool)


def error_body(code: str) -> Json:
    """The documented error body; the description text is not specified, only non-empty (§1.8)."""
    return {"error": {"errorCode": code, "description": ANY_TEXT}}


def outcome(response: httpx.Response) -> tuple[int, object]:
    """Status and decoded JSON body, compared together so a failure shows both."""
    return response.status_code, response.json()


def project(actual: Mapping[str, object], expected: Mapping[str, object]) -> Json:
    """The keys of `expected` as found in `actual`, a missing key as MISSING (matched by ABSENT)."""
    return {key: actual.get(key, MISSING) for key in expected}
