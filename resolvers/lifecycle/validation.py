"""The checks an order passes before any upstream call, collected field by field.

The upstream would refuse most of these itself, but with one generic INVALID_REQUEST and only
after a (rate-limited) write; checking here names every wrong field at once, by its path inside
the mutation's `input`, and costs the upstream nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from pydantic import SecretStr

from resolvers.decimals import UnusableDecimal
from resolvers.lifecycle.failures import Failure, FieldProblem, Refusal, Refused
from upstream.records import Attribute, ContactDetails

Path = tuple[str, ...]

MAX_LEVERAGE = Decimal(10_000)
"""1:10,000: above any leverage cTrader brokers offer, and keeps leverageInCents in 32 bits."""
MAX_TEXT = 200
MAX_PASSWORD = 128
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_CURRENCY = re.compile(r"^[A-Z0-9]{2,12}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2}$")


class Checks:
    """Collects the problems of one order; `done()` refuses it when there is any."""

    def __init__(self) -> None:
        self._problems: list[FieldProblem] = []

    def require(self, ok: bool, path: Path, message: str) -> None:
        if not ok:
            self._problems.append(FieldProblem(path, message))

    def done(self) -> None:
        if self._problems:
            raise Refused(invalid(self._problems))


def invalid(problems: Iterable[FieldProblem]) -> Refusal:
    found = tuple(problems)
    message = "; ".join(f"{'.'.join(p.path) or 'input'}: {p.message}" for p in found)
    return Refusal(Failure.INVALID_INPUT, f"invalid input: {message}", fields=found)


def email(checks: Checks, path: Path, value: str | None) -> None:
    if value is not None:
        ok = len(value) <= 254 and _EMAIL.match(value) is not None
        checks.require(ok, path, "is not an email address")


def password(checks: Checks, path: Path, value: SecretStr) -> None:
    """Never echoes the password: the messages name only what is wrong with it."""
    secret = value.get_secret_value()
    checks.require(secret.strip() != "", path, "must not be empty")
    checks.require(len(secret) <= MAX_PASSWORD, path, f"is longer than {MAX_PASSWORD} characters")


def leverage(checks: Checks, path: Path, value: Decimal | None) -> None:
    if value is None:
        return
    if isinstance(value, UnusableDecimal):
        checks.require(False, path, value.reason)
    elif not value.is_finite() or value <= 0 or value > MAX_LEVERAGE:
        checks.require(False, path, f"must be above 0 and at most {MAX_LEVERAGE}")
    else:
        cents = value * 100
        checks.require(cents == cents.to_integral_value(), path, "has more than 2 decimals")


def currency(checks: Checks, path: Path, value: str) -> None:
    checks.require(_CURRENCY.match(value) is not None, path, "is not a deposit asset name")


def language(checks: Checks, path: Path, value: str | None) -> None:
    if value is not None:
        checks.require(_LANGUAGE.match(value) is not None, path, "is not an ISO 639-1 code")


def text(checks: Checks, path: Path, value: str | None, most: int = MAX_TEXT) -> None:
    """Optional text: when given, not blank and at most `most` characters."""
    if value is not None:
        checks.require(value.strip() != "", path, "must not be blank")
        checks.require(len(value) <= most, path, f"is longer than {most} characters")


def login(checks: Checks, path: Path, value: int) -> None:
    checks.require(value > 0, path, "must be positive")


def contact(checks: Checks, path: Path, details: ContactDetails | None) -> None:
    if details is None:
        return
    email(checks, (*path, "email"), details.email)
    texts = {
        "phone": details.phone,
        "address": details.address,
        "city": details.city,
        "state": details.state,
        "zipCode": details.zip_code,
        "documentId": details.document_id,
    }
    for name, value in texts.items():
        text(checks, (*path, name), value)
    country = details.country_id
    checks.require(country is None or 0 < country < 1000, (*path, "countryId"), "is not ISO 3166-1")


def partners(checks: Checks, first: str | None, second: str | None) -> None:
    text(checks, ("introducingBroker1",), first, 64)
    text(checks, ("introducingBroker2",), second, 64)


def attributes(checks: Checks, pairs: tuple[Attribute, ...]) -> None:
    checks.require(1 <= len(pairs) <= 100, ("attributes",), "must hold 1 to 100 attributes")
    names = [pair.name for pair in pairs]
    checks.require(len(set(names)) == len(names), ("attributes",), "names an attribute twice")
    for at, pair in enumerate(pairs):
        attribute_name(checks, ("attributes", str(at), "name"), pair.name)
        ok = 1 <= len(pair.value) <= 512
        checks.require(ok, ("attributes", str(at), "value"), "must be 1 to 512 characters")


def attribute_names(checks: Checks, names: tuple[str, ...]) -> None:
    checks.require(1 <= len(names) <= 100, ("names",), "must hold 1 to 100 names")
    for at, name in enumerate(names):
        attribute_name(checks, ("names", str(at)), name)


def attribute_name(checks: Checks, path: Path, name: str) -> None:
    checks.require(1 <= len(name) <= 64 and name.strip() != "", path, "must be 1 to 64 characters")
