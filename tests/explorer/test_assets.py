"""The vendored browser assets are the npm registry's files, untouched, each with its licence."""

from __future__ import annotations

import hashlib

from explorer.page import STATIC


def test_vendored_files_match_the_checksums_vendor_sh_recorded() -> None:
    lines = (STATIC / "SHA256SUMS").read_text().splitlines()
    recorded = {name: digest for digest, name in (line.split("  ") for line in lines)}
    actual = {name: hashlib.sha256((STATIC / name).read_bytes()).hexdigest() for name in recorded}
    assert (sorted(recorded), actual) == (
        [
            "graphiql.min.css",
            "graphiql.min.js",
            "react-dom.production.min.js",
            "react.production.min.js",
        ],
        recorded,
    )


def test_every_vendored_package_ships_its_licence() -> None:
    packages = [line.rsplit("@", 1)[0] for line in (STATIC / "VERSIONS").read_text().split()]
    licences = sorted(path.name for path in (STATIC / "licenses").iterdir())
    assert licences == sorted(f"{package}.LICENSE" for package in packages)
