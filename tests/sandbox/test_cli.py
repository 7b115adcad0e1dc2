"""`tradergraph sandbox` argument parsing (no server is started here)."""

import pytest

from sandbox import SandboxSettings
from sandbox.cli import main, parser, settings_from


def test_defaults_serve_an_in_memory_sandbox_on_loopback() -> None:
    args = parser().parse_args([])
    assert ((args.host, args.port), settings_from(args)) == (
        ("127.0.0.1", 8081),
        SandboxSettings(),
    )


def test_flags_become_settings() -> None:
    args = parser().parse_args(
        ["--port", "9000", "--db", "sqlite+aiosqlite:///x.db", "--seed", "7", "--traders", "10"]
    )
    settings = settings_from(args)
    assert (args.port, settings.db_url, settings.seed, settings.traders) == (
        9000,
        "sqlite+aiosqlite:///x.db",
        7,
        10,
    )


def test_keep_data_turns_off_the_reset_at_start() -> None:
    assert settings_from(parser().parse_args(["--keep-data"])).reset_on_start is False


def test_traders_without_a_seed_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--traders", "5"])
    assert (exit_info.value.code, "--traders needs --seed" in capsys.readouterr().err) == (2, True)


def test_history_days_default_to_120_and_the_flag_sets_them() -> None:
    default = settings_from(parser().parse_args([])).history_days
    flagged = settings_from(parser().parse_args(["--history-days", "30"])).history_days
    assert (default, flagged) == (120, 30)


def test_negative_history_days_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--history-days", "-1"])
    error = capsys.readouterr().err.splitlines()[-1]
    assert (exit_info.value.code, error) == (
        2,
        "tradergraph sandbox: error: --history-days must not be negative",
    )
