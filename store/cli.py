"""`tradergraph users import FILE.csv [--database-url URL]`: load a users export.

Idempotent: users and links are upserted by the upstream's ids, so importing the same file twice
leaves the same rows and reports them as updated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from settings import ServiceSettings
from store.db import create_tables, make_engine
from store.users import SaveCounts, UserStore
from store.users_csv import UsersCsvError, UsersExport, parse_users_csv


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradergraph users")
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="import a users export (CSV)")
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--database-url", default=None, help="default: TRADERGRAPH_DATABASE_URL or the setting"
    )
    return parser


async def import_users(export: UsersExport, database_url: str) -> tuple[SaveCounts, SaveCounts]:
    """Save `export` into the database at `database_url`, creating the tables if missing."""
    engine = make_engine(database_url)
    try:
        await create_tables(engine)
        store = UserStore(engine)
        return await store.save_users(export.users), await store.save_links(export.links)
    finally:
        await engine.dispose()


def _report(users: SaveCounts, links: SaveCounts) -> str:
    return (
        f"users: {users.created} created, {users.updated} updated; "
        f"links: {links.created} created, {links.updated} updated"
    )


def users_main(argv: list[str]) -> int:
    """Entry point of `tradergraph users`; returns the process exit status."""
    args = _parser().parse_args(argv)
    database_url = args.database_url or ServiceSettings().database_url
    try:
        export = parse_users_csv(args.file.read_text(encoding="utf-8"))
        users, links = asyncio.run(import_users(export, database_url))
    except (OSError, UsersCsvError) as error:
        sys.stderr.write(f"tradergraph users: {error}\n")
        return 1
    sys.stdout.write(_report(users, links) + "\n")
    return 0
