"""The sandbox's tables (all named `sbx_*`). Money is BigInteger scaled by moneyDigits.

Traders carry a few denormalised columns (used margin, open-position count, last deal time, the
day's min/max equity) so that listing 100,000 traders never has to aggregate positions.
Prices and volumes are stored as decimal strings: exact, and portable across SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table

metadata = MetaData()


managers = Table(
    "sbx_managers",
    metadata,
    Column("login", BigInteger, primary_key=True, autoincrement=False),
    Column("password_hash", String(32), nullable=False),
    Column("token", String(36), nullable=False, unique=True),
    Column("allowed_group_ids", String, nullable=False),  # comma-separated ids, empty = all
    Column("disabled_broker_names", String, nullable=False),  # comma-separated names
    Column("super_admin", Boolean, nullable=False),
    Column("read_only", Boolean, nullable=False),
)

white_labels = Table(
    "sbx_white_labels",
    metadata,
    Column("broker_name", String, primary_key=True),
    Column("jurisdiction", String(2), nullable=False),
)

trader_groups = Table(
    "sbx_trader_groups",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String, nullable=False, unique=True),
    Column("description", String, nullable=True),
)

deposit_assets = Table(
    "sbx_deposit_assets",
    metadata,
    Column("name", String, primary_key=True),
    Column("money_digits", Integer, nullable=False),
    Column("usd_rate", String, nullable=False),
)

symbols = Table(
    "sbx_symbols",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String, nullable=False, unique=True),
    Column("description", String, nullable=True),
    Column("asset_class", String, nullable=False),
    Column("category", String, nullable=False),
    Column("base_asset", String, nullable=False),
    Column("quote_asset", String, nullable=False),
    Column("digits", Integer, nullable=False),
    Column("price", String, nullable=False),
)

traders = Table(
    "sbx_traders",
    metadata,
    Column("login", BigInteger, primary_key=True, autoincrement=False),
    Column("group_id", BigInteger, nullable=False),
    Column("broker_name", String, nullable=False),
    Column("deposit_currency", String, nullable=False),
    Column("money_digits", Integer, nullable=False),
    Column("name", String),
    Column("last_name", String),
    Column("description", String),
    Column("access_rights", String, nullable=False),
    Column("account_type", String, nullable=False),
    Column("balance", BigInteger, nullable=False),
    Column("bonus", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
    Column("used_margin", BigInteger, nullable=False),
    Column("open_positions", Integer, nullable=False),
    Column("last_deal_ms", BigInteger),
    Column("equity_day", BigInteger, nullable=False),
    Column("min_equity", BigInteger, nullable=False),
    Column("max_equity", BigInteger, nullable=False),
    Column("leverage_in_cents", BigInteger, nullable=False),
    Column("max_leverage", BigInteger),
    Column("address", String),
    Column("city", String),
    Column("country_id", Integer),
    Column("document_id", String),
    Column("email", String),
    Column("phone", String),
    Column("state", String),
    Column("zip_code", String),
    Column("introducing_broker1", String),
    Column("introducing_broker2", String),
    Column("total_margin_calculation_type", String, nullable=False),
    Column("is_limited_risk", Boolean, nullable=False),
    Column("limited_risk_strategy", String),
    Column("send_own_statement", Boolean, nullable=False),
    Column("send_statement_to_broker", Boolean, nullable=False),
    Column("swap_free", Boolean, nullable=False),
    Column("account_lifetime_type", String, nullable=False),
    Column("registration_ms", BigInteger, nullable=False),
    Column("last_update_ms", BigInteger, nullable=False),
    Column("last_connection_ms", BigInteger),
    Column("password_hash", String(32), nullable=False),
    Column("parent_login", BigInteger),
    Index("sbx_traders_registration", "registration_ms"),
    Index("sbx_traders_parent", "parent_login"),
)

users = Table(
    "sbx_users",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("email", String, nullable=False, unique=True),
    Column("nickname", String, nullable=False),
    Column("preferred_language", String, nullable=False),
    Column("status", String, nullable=False),
    Column("broker_name", String),
    Column("create_ms", BigInteger, nullable=False),
)

links = Table(
    "sbx_links",
    metadata,
    Column("ctid_trader_account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, nullable=False, index=True),
    Column("trader_login", BigInteger, nullable=False, unique=True),
    Column("environment_name", String, nullable=False),
)

positions = Table(
    "sbx_positions",
    metadata,
    Column("position_id", BigInteger, primary_key=True, autoincrement=False),
    Column("login", BigInteger, nullable=False, index=True),
    Column("symbol", String, nullable=False),
    Column("direction", String, nullable=False),
    Column("volume", String, nullable=False),  # remaining open volume, base-asset units
    Column("entry_price", String, nullable=False),
    Column("open_ms", BigInteger, nullable=False),
    Column("used_margin", BigInteger, nullable=False),
    Column("commission", String, nullable=False),
    Column("swap", String, nullable=False),
    Column("book_type", String, nullable=False),
    Column("is_open", Boolean, nullable=False),
)

deals = Table(
    "sbx_deals",
    metadata,
    Column("deal_id", BigInteger, primary_key=True, autoincrement=False),
    Column("position_id", BigInteger, nullable=False),
    Column("login", BigInteger, nullable=False),
    Column("volume", String, nullable=False),
    Column("close_price", String, nullable=False),
    Column("close_ms", BigInteger, nullable=False, index=True),
    Column("commission", String, nullable=False),
    Column("swap", String, nullable=False),
    Column("pnl", String, nullable=False),
    Column("deposit_conversion_rate", String, nullable=False),
    Column("usd_conversion_rate", String, nullable=False),
    # A window of the closed-positions grid reads only its own deals: by close time for every
    # trader, by login then close time for one (the seeded history holds ~50 deals per trader).
    Index("sbx_deals_login_close", "login", "close_ms"),
)

balance_history = Table(
    "sbx_balance_history",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("login", BigInteger, nullable=False, index=True),
    Column("kind", String, nullable=False),  # DEPOSIT, WITHDRAW, ..., BONUS_DEPOSIT, BONUS_WITHDRAW
    Column("delta", BigInteger, nullable=False),
    Column("comment", String),
    Column("external_note", String),
    Column("external_id", String),
    Column("source", String),
    Column("created_ms", BigInteger, nullable=False),
)

attributes = Table(
    "sbx_attributes",
    metadata,
    Column("kind", String, primary_key=True),  # trader, group, manager
    Column("entity_id", BigInteger, primary_key=True),
    Column("name", String, primary_key=True),
    Column("value", String, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

# In deletion order (children first); reset empties these rather than dropping them.
ALL_TABLES = [
    attributes,
    balance_history,
    deals,
    positions,
    links,
    users,
    traders,
    symbols,
    deposit_assets,
    trader_groups,
    white_labels,
    managers,
]
