"""`tradergraph keys create --partner ID [--read-only] [--database-url URL]`: a partner key.

The key is printed once, alone on the last line (scripts take `tail -n 1`); the database keeps
only its SHA-256 digest, so a lost key is replaced, never recovered.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from auth.store import KeyStore
from settings import ServiceSettings
from store.db import create_tables, make_engine


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradergraph keys")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a partner-portal API key")
    create.add_argument("--partner", required=True, help="partner id (introducingBroker1/2)")
    create.add_argument("--read-only", action="store_true", help="the key may run no mutation")
    create.add_argument(
        "--database-url", default=None, help="default: TRADERGRAPH_DATABASE_URL or the setting"
    )
    return parser


async def create_key(database_url: str, partner: str, *, read_only: bool) -> str:
    engine = make_engine(database_url)
    try:
        await create_tables(engine)
        return await KeyStore(engine).create(partner, read_only=read_only)
    finally:
        await engine.dispose()


def keys_main(argv: list[str]) -> int:
    """Entry point of `tradergraph keys`; returns the process exit status."""
    args = _parser().parse_args(argv)
    database_url = args.database_url or ServiceSettings().database_url
    key = asyncio.run(create_key(database_url, args.partner, read_only=args.read_only))
    access = "read-only" if args.read_only else "read-write"
    sys.stdout.write(f"partner key for {args.partner} ({access}); shown once:\n{key}\n")
    return 0
