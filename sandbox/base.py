"""Writes the base dataset (white labels, groups, assets, symbols, managers) into empty tables."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.auth import manager_row


async def insert_base_dataset(connection: AsyncConnection) -> None:
    await connection.execute(
        insert(models.white_labels),
        [{"broker_name": n, "jurisdiction": j} for n, j in catalog.WHITE_LABELS],
    )
    await connection.execute(
        insert(models.trader_groups),
        [{"id": i, "name": n, "description": d} for i, n, d in catalog.TRADER_GROUPS],
    )
    await connection.execute(
        insert(models.deposit_assets),
        [
            {"name": n, "money_digits": d, "usd_rate": str(catalog.USD_RATES[n])}
            for n, d in catalog.DEPOSIT_ASSETS
        ],
    )
    await connection.execute(insert(models.symbols), [_symbol_row(s) for s in catalog.SYMBOLS])
    for spec in catalog.MANAGERS:
        await connection.execute(
            insert(models.managers).values(
                manager_row(
                    spec.login,
                    catalog.md5(spec.password),
                    spec.allowed_group_ids,
                    spec.disabled_broker_names,
                    super_admin=spec.super_admin,
                    read_only=spec.read_only,
                )
            )
        )


def _symbol_row(spec: catalog.SymbolSpec) -> dict[str, object]:
    return {
        "id": spec.id,
        "name": spec.name,
        "description": spec.description,
        "asset_class": spec.asset_class,
        "category": spec.category,
        "base_asset": spec.base,
        "quote_asset": spec.quote,
        "digits": spec.digits,
        "price": spec.price,
    }
