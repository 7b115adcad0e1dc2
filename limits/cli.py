"""`tradergraph documents add FILE.graphql... --manifest PATH`: register trusted documents.

Each file's text is stored under its SHA-256 in the manifest (created if missing); the hash and
the file are printed one per line. Serve with `TRADERGRAPH_TRUSTED_DOCUMENTS=require` and
`TRADERGRAPH_TRUSTED_DOCUMENTS_FILE=PATH` to run nothing else (docs/security.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from limits.documents import read_manifest, sha256


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradergraph documents")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add GraphQL documents to a trusted-documents manifest")
    add.add_argument("files", nargs="+", type=Path)
    add.add_argument("--manifest", type=Path, required=True)
    return parser


def documents_main(argv: list[str]) -> int:
    """Entry point of `tradergraph documents`; returns the process exit status."""
    args = _parser().parse_args(argv)
    manifest = read_manifest(args.manifest) if args.manifest.exists() else {}
    for file in args.files:
        text = file.read_text(encoding="utf-8")
        manifest[sha256(text)] = text
        sys.stdout.write(f"{sha256(text)}  {file}\n")
    args.manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return 0
