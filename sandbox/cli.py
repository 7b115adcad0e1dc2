"""`tradergraph sandbox`: serve the emulator over real HTTP with uvicorn.

tradergraph sandbox --host 127.0.0.1 --port 8081 [--db URL] [--seed S --traders N]
    [--history-days D] [--keep-data]
"""

from __future__ import annotations

import argparse
import sys

from sandbox.app import create_app
from sandbox.settings import SandboxSettings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tradergraph sandbox", description="cTrader WebServices emulator"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8081, help="port to bind (default 8081)")
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in memory)")
    p.add_argument("--seed", type=int, default=None, help="seed of the deterministic data")
    p.add_argument("--traders", type=int, default=0, help="how many traders to seed")
    p.add_argument(
        "--history-days",
        type=int,
        default=None,
        help="days of closed positions the seed gives each trader (default 120)",
    )
    p.add_argument(
        "--keep-data", action="store_true", help="keep the tables' data instead of resetting"
    )
    return p


def settings_from(args: argparse.Namespace) -> SandboxSettings:
    """Flags override the environment (`SANDBOX_*`), which overrides the defaults."""
    settings = SandboxSettings(traders=args.traders, reset_on_start=not args.keep_data)
    overrides: dict[str, object] = {}
    if args.db:
        overrides["db_url"] = args.db
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.history_days is not None:
        overrides["history_days"] = args.history_days
    return settings.model_copy(update=overrides)


def print_progress(step: str, done: int, total: int) -> None:
    print(f"{step} {done:,}/{total:,} traders", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.traders and args.seed is None:
        parser().error("--traders needs --seed")
    if args.history_days is not None and args.history_days < 0:
        parser().error("--history-days must not be negative")
    import uvicorn

    app = create_app(settings_from(args), progress=print_progress)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
