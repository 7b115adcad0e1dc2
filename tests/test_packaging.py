"""Nothing generic in site-packages (docs/architecture.md, "Packaging").

The application is not installed as code: its wheel holds metadata only (its dependencies and
the `tradergraph` command), so `pip install` or the Docker image's `uv sync --no-editable` puts
no `schema`, `limits`, `server`, ... into site-packages, where they would clash with PyPI's. The
code is imported from its checkout: `make install`'s editable install adds the checkout to the
path with one `.pth` file, and the image puts /opt/tradergraph on PYTHONPATH.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from hatchling.build import build_editable, build_wheel

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DIST_INFO = f"{PROJECT['name']}-{PROJECT['version']}.dist-info"
APPLICATION = {
    *(path.parent.name for path in ROOT.glob("*/__init__.py")),
    *(path.stem for path in ROOT.glob("*.py")),
}
"""Every top-level import name of the checkout: its packages and its root modules."""


def top_level(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name.split("/")[0] for name in archive.namelist()}


def read(wheel: Path, member: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member).decode()


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """hatchling builds the project in the working directory, as a PEP 517 frontend runs it."""
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_root")
def test_the_wheel_puts_no_top_level_name_into_site_packages(tmp_path: Path) -> None:
    wheel = tmp_path / build_wheel(str(tmp_path))

    assert top_level(wheel) == {DIST_INFO}
    assert read(wheel, f"{DIST_INFO}/entry_points.txt") == (
        "[console_scripts]\ntradergraph = cli:main\n"
    )


@pytest.mark.usefixtures("at_root")
def test_the_editable_install_adds_only_the_checkout_to_the_path(tmp_path: Path) -> None:
    wheel = tmp_path / build_editable(str(tmp_path))

    assert top_level(wheel) == {DIST_INFO, "_tradergraph.pth"}
    assert read(wheel, "_tradergraph.pth") == str(ROOT)


def test_the_checkouts_names_are_the_applications() -> None:
    """The names the tests above keep out of site-packages (so the guard below means something)."""
    assert {"schema", "resolvers", "limits", "settings", "server", "cli"} <= APPLICATION


def test_no_installed_distribution_claims_a_name_of_the_application() -> None:
    """A dependency that brings PyPI's `schema` or `limits` would fail here, not in production."""
    claimed = packages_distributions()

    assert {name: claimed[name] for name in sorted(APPLICATION) if name in claimed} == {}


def test_the_tradergraph_command_runs_outside_the_checkout(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "tradergraph"

    done = subprocess.run(  # noqa: S603 - our own command, no shell, fixed arguments
        [str(command), "--help"], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert (done.returncode, done.stdout.splitlines()[0], done.stderr) == (
        0,
        "usage: tradergraph COMMAND [ARGS...]",
        "",
    )
