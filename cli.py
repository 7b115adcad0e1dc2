"""The `tradergraph` command line: the composition root that wires service and sandbox.

Each sub-command lives with the room it belongs to and is imported only when called, so that the
service modules never import the sandbox:

    tradergraph sandbox ...      sandbox.cli.main        the emulator over HTTP
    tradergraph serve ...        serving.serve_main      the service against a real upstream
    tradergraph demo ...         demo.main               the service with a seeded sandbox
    tradergraph users ...        store.cli.users_main    import cTrader ID users and links
    tradergraph keys ...         auth.cli.keys_main      create partner-portal API keys
    tradergraph history ...      history.cli.history_main   backfill the deal mirror
    tradergraph documents ...    limits.cli.documents_main  register trusted documents
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

COMMANDS: dict[str, tuple[str, str, str]] = {
    "sandbox": ("sandbox.cli", "main", "run the WebServices emulator"),
    "serve": ("serving", "serve_main", "run the GraphQL service against an upstream"),
    "demo": ("demo", "main", "run the service with an embedded, seeded sandbox"),
    "users": ("store.cli", "users_main", "manage the service's record of cTrader ID users"),
    "keys": ("auth.cli", "keys_main", "create partner-portal API keys"),
    "history": ("history.cli", "history_main", "backfill the deal mirror (history sync)"),
    "documents": ("limits.cli", "documents_main", "register trusted (persisted) documents"),
}


def usage() -> str:
    lines = ["usage: tradergraph COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<10} {help_}" for name, (_, _, help_) in COMMANDS.items()]
    return "\n".join(lines)


def resolve(command: str) -> Callable[[list[str]], int]:
    module_name, function_name, _ = COMMANDS[command]
    entry: Callable[[list[str]], int] = getattr(importlib.import_module(module_name), function_name)
    return entry


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return 0 if args else 2
    if args[0] not in COMMANDS:
        print(f"tradergraph: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    return resolve(args[0])(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
