"""The base dataset: the fixed facts of docs/sandbox.md, present after start-up and every reset."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal

PLANT = "sandbox"
ENVIRONMENT = "demo"
DEFAULT_BROKER = "sandbox"

WHITE_LABELS: list[tuple[str, str]] = [
    ("sandbox", "CY"),
    ("atlas-markets", "AU"),
    ("borealis-fx", "SC"),
]

# (id, name, description)
TRADER_GROUPS: list[tuple[int, str, str]] = [
    (1, "Retail USD", "Retail clients with USD accounts"),
    (2, "Retail EUR", "Retail clients with EUR accounts"),
    (3, "Retail GBP", "Retail clients with GBP accounts"),
    (4, "Retail JPY", "Retail clients with JPY accounts"),
    (5, "Professional USD", "Elective professional clients"),
    (6, "Crypto BTC", "Accounts funded in bitcoin"),
    (7, "Copy Strategies", "cTrader Copy strategy and sub-accounts"),
]

# Deposit assets and their moneyDigits.
DEPOSIT_ASSETS: list[tuple[str, int]] = [("USD", 2), ("EUR", 2), ("GBP", 2), ("JPY", 2), ("BTC", 8)]

# USD value of one unit of each asset: there is no price feed, so conversions are static.
USD_RATES: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "JPY": Decimal("0.0067"),
    "AUD": Decimal("0.66"),
    "XAU": Decimal("2350"),
    "BTC": Decimal("60000"),
}


@dataclass(frozen=True)
class SymbolSpec:
    id: int
    name: str
    description: str
    asset_class: str
    category: str
    base: str
    quote: str
    digits: int
    price: str


SYMBOLS: list[SymbolSpec] = [
    SymbolSpec(1, "EURUSD", "Euro vs US Dollar", "forex", "majors", "EUR", "USD", 5, "1.08000"),
    SymbolSpec(
        2, "GBPUSD", "British Pound vs US Dollar", "forex", "majors", "GBP", "USD", 5, "1.27000"
    ),
    SymbolSpec(
        3, "USDJPY", "US Dollar vs Japanese Yen", "forex", "majors", "USD", "JPY", 3, "149.254"
    ),
    SymbolSpec(
        4, "AUDUSD", "Australian Dollar vs US Dollar", "forex", "majors", "AUD", "USD", 5, "0.66000"
    ),
    SymbolSpec(5, "EURGBP", "Euro vs British Pound", "forex", "minors", "EUR", "GBP", 5, "0.85039"),
    SymbolSpec(
        6, "XAUUSD", "Gold vs US Dollar", "commodities", "metals", "XAU", "USD", 2, "2350.00"
    ),
    SymbolSpec(
        7, "BTCUSD", "Bitcoin vs US Dollar", "crypto", "crypto", "BTC", "USD", 2, "60000.00"
    ),
]


@dataclass(frozen=True)
class ManagerSpec:
    login: int
    password: str
    allowed_group_ids: tuple[int, ...]
    disabled_broker_names: tuple[str, ...]
    super_admin: bool
    read_only: bool


MANAGERS: list[ManagerSpec] = [
    ManagerSpec(1001, "sandbox-admin", (), (), super_admin=True, read_only=False),
    ManagerSpec(
        1002,
        "sandbox-desk",
        (1, 2, 5),
        ("sandbox", "borealis-fx"),
        super_admin=False,
        read_only=False,
    ),
    ManagerSpec(1003, "sandbox-partner", (), (), super_admin=False, read_only=True),
]

FIRST_LOGIN = 3_000_000  # logins of created traders start above this
FIRST_USER_ID = 10_000_000
FIRST_CTID_ACCOUNT_ID = 40_000_000
FIRST_POSITION_ID = 5_000_000
FIRST_DEAL_ID = 7_000_000
FIRST_HISTORY_ID = 1_000_000
SEEDED_TRADER_PASSWORD = "sandbox-trader"  # noqa: S105 - a documented sandbox fixture

_TOKEN_NAMESPACE = uuid.UUID("6f1c2a52-4d1e-4c0e-9a43-3b7d0c3e9a10")


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def token_for(login: int, password_hash: str) -> str:
    """Stable for a given login and password hash, so it changes exactly when the password does."""
    return str(uuid.uuid5(_TOKEN_NAMESPACE, f"{login}:{password_hash.lower()}"))
