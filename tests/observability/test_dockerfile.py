"""The Dockerfile, read as instructions (Docker cannot run here): what production relies on."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import server

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions(text: str) -> list[Instruction]:
    """Dockerfile lines joined over `\\` continuations, comments and blanks dropped."""
    joined = re.sub(r"\\\n(\s*#.*\n)*", " ", text)
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            found.append(Instruction(keyword.upper(), " ".join(arguments.split())))
    return found


def stages(all_instructions: list[Instruction]) -> list[list[Instruction]]:
    split: list[list[Instruction]] = []
    for instruction in all_instructions:
        if instruction.keyword == "FROM":
            split.append([])
        if split:
            split[-1].append(instruction)
    return split


DOCKERFILE = instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
FINAL = stages(DOCKERFILE)[-1]


def _arguments(keyword: str, stage: list[Instruction] = FINAL) -> list[str]:
    return [i.arguments for i in stage if i.keyword == keyword]


def test_it_builds_in_one_stage_and_runs_in_another() -> None:
    assert [i.arguments for i in DOCKERFILE if i.keyword == "FROM"] == [
        "${PYTHON_IMAGE} AS build",
        "${PYTHON_IMAGE} AS runtime",
    ]


def test_the_runtime_takes_only_the_built_environment_and_the_code() -> None:
    assert (_arguments("COPY"), _arguments("RUN", stages(DOCKERFILE)[0])[-2:]) == (
        ["--from=build /opt/venv /opt/venv", "--from=build /opt/tradergraph /opt/tradergraph"],
        [
            "/opt/venv/bin/python -m compileall -q /opt/tradergraph",
            "uv sync --frozen --no-dev --no-editable --python /usr/local/bin/python3.11",
        ],
    )


def test_the_code_is_found_on_pythonpath_not_in_site_packages() -> None:
    """The wheel `uv sync` installs is metadata only (tests/test_packaging.py): the code is
    imported from /opt/tradergraph, ahead of site-packages."""
    (env,) = [a for a in _arguments("ENV") if a.startswith("PATH=")]
    assert "PYTHONPATH=/opt/tradergraph" in env.split()


def test_the_base_image_is_pinned_to_the_projects_python() -> None:
    assert _arguments("ARG", DOCKERFILE) == ["PYTHON_IMAGE=python:3.11-slim-bookworm"]


def test_uv_is_the_makefiles_version() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert version is not None
    assert f"pip install --no-cache-dir uv=={version.group(1)}" in _arguments(
        "RUN", stages(DOCKERFILE)[0]
    )


def test_it_runs_as_an_unprivileged_user() -> None:
    assert _arguments("USER") == ["10001:10001"]


def test_the_healthcheck_asks_healthz() -> None:
    (healthcheck,) = _arguments("HEALTHCHECK")
    options, _, command = healthcheck.partition(" CMD ")
    assert (options, json.loads(command)) == (
        "--interval=15s --timeout=3s --start-period=20s --retries=3",
        [
            "python",
            "-c",
            "import urllib.request; "
            "urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)",
        ],
    )


def test_uvicorn_runs_the_factory_with_explicit_flags() -> None:
    (command,) = _arguments("CMD")
    assert json.loads(command) == [
        "uvicorn",
        "--factory",
        "server:app_from_environment",
        *("--host", "0.0.0.0", "--port", "8000"),  # noqa: S104 - the container must listen outside
        *("--workers", "1"),
        *("--lifespan", "on"),
        *("--ws", "wsproto"),
        *("--timeout-graceful-shutdown", "25"),
        *("--timeout-keep-alive", "5"),
        "--no-access-log",
        "--no-proxy-headers",
        "--no-server-header",
        *("--log-level", "info"),
    ]


def test_the_factory_it_names_exists() -> None:
    assert callable(server.app_from_environment)


def test_shutdown_is_graceful_on_sigterm_and_the_port_is_declared() -> None:
    assert (_arguments("STOPSIGNAL"), _arguments("EXPOSE")) == (["SIGTERM"], ["8000"])


def test_the_build_context_leaves_out_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".tools", "tests", "*.db"} <= set(ignored)
