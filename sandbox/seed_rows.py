"""Row generators for the deterministic seed: every value drawn from one `random.Random(seed)`.

No wall clock: times are offsets back from the anchor (docs/sandbox.md). Registration within the
365 days before the anchor; ~20% of traders hold open positions (opened in the last 90 days); ~30%
are attributed to partners (`IB-0001`...); ~3% are Copy sub-accounts. Closed positions are the
history's (sandbox/history.py), drawn from generators of their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from sandbox import catalog
from sandbox.positions import rate

DAY_MS = 86_400_000
Row = dict[str, object]

FIRST_NAMES = ["Ada", "Alan", "Grace", "Linus", "Maria", "Omar", "Yuki", "Chen", "Ines", "Kofi"]
LAST_NAMES = ["Lovelace", "Turing", "Hopper", "Curie", "Okafor", "Tanaka", "Silva", "Novak"]
GROUP_CURRENCY = {1: "USD", 2: "EUR", 3: "GBP", 4: "JPY", 5: "USD", 6: "BTC", 7: "USD"}
GROUP_WEIGHTS = [30, 20, 10, 5, 15, 10, 10]
BROKERS = [name for name, _ in catalog.WHITE_LABELS]
BROKER_WEIGHTS = [50, 30, 20]
DIGITS = dict(catalog.DEPOSIT_ASSETS)
SYMBOLS = catalog.SYMBOLS
LANGUAGES = ["EN", "DE", "FR", "ES", "JA", "ZH"]


@dataclass
class Ids:
    login: int
    user: int
    account: int
    position: int
    deal: int


@dataclass
class SeedRows:
    traders: list[Row] = field(default_factory=list)
    users: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    positions: list[Row] = field(default_factory=list)


def trader_row(rng: random.Random, login: int, anchor: int, parent: Row | None) -> Row:
    group = 7 if parent else rng.choices(range(1, 8), GROUP_WEIGHTS)[0]
    currency = str(parent["deposit_currency"]) if parent else GROUP_CURRENCY[group]
    digits = DIGITS[currency]
    balance = rng.randint(0, 5 * 10**8) if currency == "BTC" else rng.randint(0, 50_000) * 100
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    registered = anchor - rng.randint(DAY_MS, 365 * DAY_MS)
    ib1 = f"IB-{rng.randint(1, 200):04d}" if rng.random() < 0.3 else None
    ib2 = f"IB-{rng.randint(201, 260):04d}" if ib1 and rng.random() < 0.5 else None
    return {
        "login": login, "group_id": group,
        "broker_name": str(parent["broker_name"]) if parent else _broker(rng),
        "deposit_currency": currency, "money_digits": digits, "name": first, "last_name": last,
        "description": None, "access_rights": "FULL_ACCESS",
        "account_type": rng.choices(["HEDGED", "NETTED"], [85, 15])[0],
        "balance": balance, "bonus": 0, "credit": 0, "used_margin": 0, "open_positions": 0,
        "last_deal_ms": None, "equity_day": anchor // DAY_MS, "min_equity": balance,
        "max_equity": balance, "leverage_in_cents": rng.choice([3000, 10000, 20000, 50000]),
        "max_leverage": None, "address": None, "city": None,
        "country_id": rng.choice([36, 196, 250, 276, 724, 826, 840]), "document_id": None,
        "email": f"{first}.{last}.{login}@example.com".lower(), "phone": None, "state": None,
        "zip_code": None, "introducing_broker1": ib1, "introducing_broker2": ib2,
        "total_margin_calculation_type": "MAX", "is_limited_risk": False,
        "limited_risk_strategy": None, "send_own_statement": True,
        "send_statement_to_broker": False, "swap_free": rng.random() < 0.05,
        "account_lifetime_type": "UNLIMITED", "registration_ms": registered,
        "last_update_ms": registered, "last_connection_ms": None,
        "password_hash": catalog.md5(catalog.SEEDED_TRADER_PASSWORD),
        "parent_login": parent["login"] if parent else None,
    }  # fmt: skip


def _broker(rng: random.Random) -> str:
    return rng.choices(BROKERS, BROKER_WEIGHTS)[0]


def _price(rng: random.Random, spec: catalog.SymbolSpec) -> Decimal:
    drift = Decimal(rng.randint(-300, 300)) / Decimal(10_000)
    return (Decimal(spec.price) * (1 + drift)).quantize(Decimal(1).scaleb(-spec.digits))


def _volume(rng: random.Random, spec: catalog.SymbolSpec) -> Decimal:
    if spec.base in ("BTC", "XAU"):
        return Decimal(rng.randint(1, 100)) / 100
    return Decimal(rng.choice([1000, 5000, 10000, 50000, 100000]))


def _when(rng: random.Random, trader: Row, anchor: int) -> int:
    start = max(int(str(trader["registration_ms"])), anchor - 90 * DAY_MS)
    return rng.randint(start, anchor - 1)


def add_positions(rng: random.Random, trader: Row, anchor: int, ids: Ids, rows: SeedRows) -> None:
    """Open positions for ~20% of traders (closed ones are the history's, sandbox/history.py)."""
    opened = rng.randint(1, 3) if rng.random() < 0.2 else 0
    former = rng.randint(1, 4) if rng.random() < 0.4 else 0
    for _ in range(opened):
        spec = rng.choice(SYMBOLS)
        volume, entry = _volume(rng, spec), _price(rng, spec)
        opened_ms = _when(rng, trader, anchor)
        ids.position += 1
        position: Row = {
            "position_id": ids.position, "login": trader["login"], "symbol": spec.name,
            "direction": rng.choice(["BUY", "SELL"]), "volume": f"{volume:.2f}",
            "entry_price": str(entry), "open_ms": opened_ms, "used_margin": 0,
            "commission": str(-Decimal(rng.randint(0, 500)).scaleb(-2)), "swap": "0.00",
            "book_type": rng.choice(["BOOK_A", "BOOK_B"]), "is_open": True,
        }  # fmt: skip
        _hold(trader, position, spec, volume)
        trader["last_deal_ms"] = max(int(str(trader["last_deal_ms"] or 0)), opened_ms)
        rows.positions.append(position)
    for _ in range(former):
        _former_closed_position(rng, trader, anchor)


def _former_closed_position(rng: random.Random, trader: Row, anchor: int) -> None:
    """The draws a closed position took before the history had generators of its own: still
    taken, so a seed keeps giving the same traders, open positions and cTID users (the demo's
    examples name some of them: explorer/operations.py)."""
    spec = rng.choice(SYMBOLS)
    _volume(rng, spec), _price(rng, spec)
    opened_ms = _when(rng, trader, anchor)
    rng.choice(["BUY", "SELL"]), rng.randint(0, 500), rng.choice(["BOOK_A", "BOOK_B"])
    rng.randint(opened_ms, anchor - 1), _price(rng, spec), rng.randint(-300, 300)


def _hold(trader: Row, position: Row, spec: catalog.SymbolSpec, volume: Decimal) -> None:
    currency, digits = str(trader["deposit_currency"]), int(str(trader["money_digits"]))
    margin = volume * rate(spec.base, currency) * 100 / int(str(trader["leverage_in_cents"]))
    used = int(margin.scaleb(digits).to_integral_value(ROUND_HALF_EVEN))
    position["used_margin"] = used
    trader["used_margin"] = int(str(trader["used_margin"])) + used
    trader["open_positions"] = int(str(trader["open_positions"])) + 1


def user_row(rng: random.Random, user_id: int, seed: int, anchor: int) -> Row:
    return {
        "user_id": user_id,
        "email": f"user{user_id}.s{seed}@example.com",
        "nickname": f"ctid{user_id}",
        "preferred_language": rng.choice(LANGUAGES),
        "status": rng.choices(["CTID_ACTIVE", "CTID_NEW"], [90, 10])[0],
        "broker_name": None,
        "create_ms": anchor - rng.randint(366 * DAY_MS, 730 * DAY_MS),
    }
