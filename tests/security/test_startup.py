"""Attacks on how the service is started.

- Development mode bound to a public address: every anonymous caller is the manager (an anonymous
  `deposit` succeeded). Defence: `serve` and `demo` refuse a non-loopback address while anonymous
  callers act as the manager, unless told `--unsafe-public-bind`, and say so loudly at start-up.
- The manager password in `ps`, given as `--manager-password`. Defence: that option is refused;
  the password comes from `TRADERGRAPH_MANAGER_PASSWORD` or a file.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

import demo
from auth.exposure import announce, is_loopback
from serving import REMOVED_OPTION, serve_main, settings_from
from settings import Mode, ServiceSettings
from tests.observability.conftest import restored_logging

__all__ = ["restored_logging"]  # the fixture: serve_main configures process-wide logging

ANY = "0.0.0.0"  # noqa: S104 - the address under test; every test refuses it or binds nothing
WARNING = (
    "ANONYMOUS CALLERS ACT AS MANAGER 1001: every request without Authorization has the"
    " manager's full rights, money included (development mode or TRADERGRAPH_DEFAULT_CALLER)."
    " Never expose this service."
)


def refusal(host: str) -> str:
    return (
        f"refusing to bind {host}: anonymous callers act as manager 1001 (development mode or"
        " TRADERGRAPH_DEFAULT_CALLER), so anyone who reaches this address could move money."
        " Bind 127.0.0.1, or set TRADERGRAPH_UNSAFE_PUBLIC_BIND=true (--unsafe-public-bind) if"
        " that is really meant."
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.9.9.9", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        (ANY, False),
        ("::", False),
        ("10.1.2.3", False),
        ("service.example", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_development_mode_refuses_a_public_address_and_says_why() -> None:
    settings = ServiceSettings(mode=Mode.DEVELOPMENT)
    stderr = StringIO()
    with capture_logs() as logs:
        allowed = announce(settings, ANY, stderr)

    assert (allowed, stderr.getvalue()) == (False, f"tradergraph: {refusal(ANY)}\n")
    assert logs == [{"event": "bind refused", "reason": refusal(ANY), "log_level": "error"}]


def test_a_default_caller_in_production_is_refused_a_public_address_too() -> None:
    settings = ServiceSettings(default_caller=True)
    stderr = StringIO()
    assert announce(settings, "10.1.2.3", stderr) is False
    assert stderr.getvalue() == f"tradergraph: {refusal('10.1.2.3')}\n"


def test_development_mode_on_loopback_starts_with_a_loud_warning() -> None:
    settings = ServiceSettings(mode=Mode.DEVELOPMENT)
    stderr = StringIO()
    with capture_logs() as logs:
        allowed = announce(settings, "127.0.0.1", stderr)

    assert (allowed, stderr.getvalue()) == (True, f"tradergraph: WARNING: {WARNING}\n")
    expected = {"event": "anonymous callers act as the manager", "detail": WARNING}
    assert logs == [{**expected, "log_level": "warning"}]


def test_development_mode_binds_a_public_address_only_when_told_and_still_warns() -> None:
    settings = ServiceSettings(mode=Mode.DEVELOPMENT, unsafe_public_bind=True)
    stderr = StringIO()
    assert announce(settings, ANY, stderr) is True
    assert stderr.getvalue() == f"tradergraph: WARNING: {WARNING}\n"


def test_production_binds_anywhere_silently() -> None:
    stderr = StringIO()
    with capture_logs() as logs:
        allowed = announce(ServiceSettings(), ANY, stderr)
    assert (allowed, stderr.getvalue(), logs) == (True, "", [])


@pytest.mark.usefixtures("restored_logging")
def test_serve_in_development_mode_refuses_a_public_address_before_binding(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRADERGRAPH_MODE", "development")

    code = serve_main(["--host", ANY])

    lines = capsys.readouterr().err.splitlines()
    logged = json.loads(lines[0])
    assert (code, logged["event"], logged["level"]) == (2, "bind refused", "error")
    assert lines[1:] == [f"tradergraph: {refusal(ANY)}"]


def test_the_demo_refuses_a_public_address_before_seeding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = demo.main(["--host", ANY, "--sandbox-port", "1"])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"tradergraph: {refusal(ANY)}"


def test_the_password_option_is_refused_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        settings_from(["--manager-password", "hunter2"])

    assert exited.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"tradergraph serve: error: {REMOVED_OPTION}"
    assert "hunter2" not in last


def test_the_password_comes_from_a_file_given_on_the_command_line(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("sandbox-desk\n")

    settings = settings_from(["--manager-password-file", str(secret)])

    assert (settings.manager_password.get_secret_value(), settings.manager_password_file) == (
        "sandbox-desk",
        secret,
    )


def test_the_password_comes_from_a_file_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "password"
    secret.write_text("sandbox-desk")
    monkeypatch.setenv("TRADERGRAPH_MANAGER_PASSWORD_FILE", str(secret))

    assert ServiceSettings().manager_password.get_secret_value() == "sandbox-desk"


def refused(**values: object) -> str:
    with pytest.raises(ValidationError) as raised:
        ServiceSettings.model_validate(values)
    [error] = raised.value.errors()
    return str(error["msg"])


def test_a_password_and_a_password_file_are_refused_together_without_echo(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-file")
    with pytest.raises(ValidationError) as raised:
        ServiceSettings(manager_password="pw-hunter2", manager_password_file=secret)  # type: ignore[arg-type]

    [error] = raised.value.errors()
    message = "Value error, give the manager password once: its variable or its file, not both"
    assert error["msg"] == message
    assert "hunter2" not in str(raised.value)


def test_a_missing_or_empty_password_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    missing = tmp_path / "missing"

    assert [refused(manager_password_file=path) for path in (empty, missing)] == [
        f"Value error, the manager password file {empty} is empty",
        f"Value error, cannot read the manager password file {missing}: [Errno 2] No such file"
        f" or directory: '{missing}'",
    ]
