"""Typed settings from the environment, and `tradergraph serve` options on top of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from serving import environment_from, per_process_warnings, serve_main, settings_from
from settings import Mode, ServiceSettings, WhiteLabel
from tests.observability.conftest import restored_logging
from upstream.enums import WireFormat

__all__ = ["restored_logging"]  # the fixture: serve_main configures process-wide logging


def test_every_field_reads_its_tradergraph_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADERGRAPH_UPSTREAM_URL", "https://demo-x.webapi.ctrader.com:8443")
    monkeypatch.setenv("TRADERGRAPH_MANAGER_LOGIN", "1002")
    monkeypatch.setenv("TRADERGRAPH_MANAGER_PASSWORD", "sandbox-desk")
    monkeypatch.setenv("TRADERGRAPH_UPSTREAM_FORMAT", "xml")
    monkeypatch.setenv(
        "TRADERGRAPH_WHITE_LABELS", '{"wl": {"environment": "live", "jurisdiction": "MT"}}'
    )
    monkeypatch.setenv("TRADERGRAPH_MODE", "development")
    settings = ServiceSettings()
    assert (
        settings.upstream_url,
        settings.manager_login,
        settings.manager_password.get_secret_value(),
        settings.upstream_format,
        settings.white_labels,
        settings.mode,
    ) == (
        "https://demo-x.webapi.ctrader.com:8443",
        1002,
        "sandbox-desk",
        WireFormat.XML,
        {"wl": WhiteLabel(environment="live", jurisdiction="MT")},
        Mode.DEVELOPMENT,
    )


def test_the_password_never_shows_in_a_repr() -> None:
    settings = ServiceSettings(manager_password=SecretStr("sandbox-admin"))
    assert "sandbox-admin" not in repr(settings)


def test_an_unknown_upstream_format_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        ServiceSettings(upstream_format="yaml")  # type: ignore[arg-type]
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [
        (("upstream_format",), "enum")
    ]


def test_serve_options_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRADERGRAPH_PORT", "9000")
    monkeypatch.setenv("TRADERGRAPH_MANAGER_LOGIN", "1003")
    (tmp_path / "password").write_text("pw\n")
    argv = ["--host", "10.1.2.3", "--port", "8080", "--upstream-url", "http://up:8081"]
    settings = settings_from([*argv, "--manager-password-file", str(tmp_path / "password")])
    assert (
        settings.host,
        settings.port,
        settings.upstream_url,
        settings.manager_login,
        settings.manager_password.get_secret_value(),
    ) == ("10.1.2.3", 8080, "http://up:8081", 1003, "pw")


def test_serve_options_travel_to_the_workers_as_their_variables(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    argv = ["--workers", "3", "--port", "8080", "--manager-password-file", str(secret)]
    assert environment_from([*argv, "--unsafe-public-bind"]) == {
        "TRADERGRAPH_PORT": "8080",
        "TRADERGRAPH_WORKERS": "3",
        "TRADERGRAPH_MANAGER_PASSWORD_FILE": str(secret),
        "TRADERGRAPH_UNSAFE_PUBLIC_BIND": "True",
    }


def test_several_workers_without_redis_are_warned_of_what_each_holds_alone() -> None:
    warned = [
        per_process_warnings(ServiceSettings(workers=workers, redis_url=redis))
        for workers, redis in ((1, None), (3, "redis://127.0.0.1:6379/0"), (3, None))
    ]
    assert warned == [
        [],
        [],
        [
            "each worker counts request rates on its own: a caller may send up to 3 times its"
            " limit; set TRADERGRAPH_REDIS_URL to share them",
            "each worker polls the upstream for its own subscribers: up to 3 pollers per watched"
            " resource; set TRADERGRAPH_REDIS_URL to share them",
        ],
    ]


def test_workers_are_counted_from_one() -> None:
    with pytest.raises(ValidationError) as raised:
        settings_from(["--workers", "0"])
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [
        (("workers",), "greater_than_equal")
    ]


@pytest.mark.usefixtures("restored_logging")
def test_several_workers_and_a_fixed_operations_port_are_refused_before_binding(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each worker's lifespan binds the operations port: the second could not, and a worker that
    fails to start stops the supervisor with every worker."""
    monkeypatch.setenv("TRADERGRAPH_OPS_PORT", "9101")
    code = serve_main(["--workers", "2"])
    said = capsys.readouterr().err.splitlines()[-1]  # after the log line of the same reason
    assert (code, said, os.environ.get("TRADERGRAPH_WORKERS")) == (
        2,
        "tradergraph serve: refusing 2 workers with TRADERGRAPH_OPS_PORT=9101: each worker"
        " serves the operations port itself, so all but one would fail to bind it; run one"
        " worker, or leave the operations port unset",
        None,
    )
