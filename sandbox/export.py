"""`GET /_sandbox/users.csv`: cTID users and their links, one row per link (docs/sandbox.md)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models

COLUMNS = [
    "userId", "email", "nickname", "preferredLanguage", "status", "utcCreateTimestamp",
    "traderLogin", "ctidTraderAccountId", "brokerName", "environmentName",
]  # fmt: skip


async def users_csv(connection: AsyncConnection) -> str:
    u, link, t = models.users, models.links, models.traders
    query = (
        select(
            u,
            link.c.trader_login,
            link.c.ctid_trader_account_id,
            link.c.environment_name,
            t.c.broker_name.label("trader_broker"),
        )
        .outerjoin(link, link.c.user_id == u.c.user_id)
        .outerjoin(t, t.c.login == link.c.trader_login)
        .order_by(u.c.user_id, link.c.trader_login)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in await connection.execute(query):
        writer.writerow(
            [
                row.user_id,
                row.email,
                row.nickname,
                row.preferred_language,
                row.status,
                row.create_ms,
                _blank(row.trader_login),
                _blank(row.ctid_trader_account_id),
                _blank(row.trader_broker),
                _blank(row.environment_name),
            ]
        )
    return out.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value
