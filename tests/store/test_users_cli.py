"""`tradergraph users import FILE.csv`: idempotent, prints what it did."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main

EXPORT = (
    "userId,email,nickname,preferredLanguage,status,utcCreateTimestamp,"
    "traderLogin,ctidTraderAccountId,brokerName,environmentName\n"
    "1,a@example.com,ctid1,en,CTID_NEW,1700000000000,30001,7001,sandbox,demo\n"
    "1,a@example.com,ctid1,en,CTID_NEW,1700000000000,30002,7002,atlas-markets,demo\n"
    "2,b@example.com,ctid2,,CTID_ACTIVE,,,,,\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "users.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_importing_an_export_reports_what_was_created(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tg.db'}"
    assert _run(["users", "import", str(export), "--database-url", url], capsys) == (
        0,
        "users: 2 created, 0 updated; links: 2 created, 0 updated\n",
        "",
    )


def test_importing_the_same_export_twice_updates_and_never_duplicates(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "users",
        "import",
        str(export),
        "--database-url",
        f"sqlite+aiosqlite:///{tmp_path}/t.db",
    ]
    main(argv)
    capsys.readouterr()
    assert _run(argv, capsys) == (
        0,
        "users: 0 created, 2 updated; links: 0 created, 2 updated\n",
        "",
    )


def test_a_missing_file_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.csv"
    assert _run(["users", "import", str(missing), "--database-url", "sqlite://"], capsys) == (
        1,
        "",
        f"tradergraph users: [Errno 2] No such file or directory: '{missing}'\n",
    )


def test_a_file_that_is_not_an_export_fails_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "userId,email,nickname,preferredLanguage,status,utcCreateTimestamp,"
        "traderLogin,ctidTraderAccountId,brokerName,environmentName\nx,,,,,,,,,\n"
    )
    assert _run(["users", "import", str(path), "--database-url", "sqlite://"], capsys) == (
        1,
        "",
        "tradergraph users: line 2: invalid literal for int() with base 10: 'x'\n",
    )
