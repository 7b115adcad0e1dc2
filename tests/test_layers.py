"""The layers hold where import-linter cannot look.

import-linter cannot root a module, so server.py, serving.py, cli.py and demo.py are checked
here: they stand above every package, none of which imports them. And the package-level import
graph of the shipped code (every import, read with ast from the files of the packages and root
modules that `[tool.coverage.run] source` names; top-level packages and modules as nodes) has no
cycle, whatever the contracts in pyproject.toml say.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"][
    "run"
]["source"]
"""The service's code, as coverage measures it: its packages and its root modules."""
NODES = set(SHIPPED)
TOP = {"server", "serving", "cli", "demo"}
Graph = dict[str, set[str]]


def imported_roots(path: Path) -> set[str]:
    """The top-level names `path` imports (absolute imports; relative ones stay inside)."""
    tree = ast.parse(path.read_text())
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def files_of(node: str) -> Iterator[Path]:
    module = ROOT / f"{node}.py"
    yield from [module] if module.is_file() else sorted((ROOT / node).rglob("*.py"))


def package_graph() -> Graph:
    """Each shipped package or module -> the other shipped ones it imports."""
    return {
        node: {root for path in files_of(node) for root in imported_roots(path)} & NODES - {node}
        for node in NODES
    }


def cycle_in(graph: Graph) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as found:
        cycle: list[str] = found.args[1]
        return cycle
    return None


def test_the_package_graph_of_the_shipped_code_has_no_cycle() -> None:
    assert cycle_in(package_graph()) is None


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = {"auth": {"resolvers", "settings"}, "resolvers": {"auth"}, "settings": set()}
    assert cycle_in(graph) == ["auth", "resolvers", "auth"]


def test_no_package_imports_the_modules_above_them_all() -> None:
    graph = package_graph()
    assert {node: graph[node] & TOP for node in NODES - TOP if graph[node] & TOP} == {}


def test_server_never_imports_the_sandbox() -> None:
    assert "sandbox" not in imported_roots(ROOT / "server.py")


def test_serving_never_imports_the_sandbox() -> None:
    assert "sandbox" not in imported_roots(ROOT / "serving.py")


def test_the_serve_command_leaves_the_app_to_its_workers() -> None:
    """With `--workers N` the `tradergraph serve` process only supervises: the app's imports
    (about 45 MB) are made in each worker, not in it as well."""
    app = ("server", "strawberry", "graphql", "httpx", "redis", "opentelemetry")
    probe = f"import sys, serving; print(sorted(set({app!r}) & set(sys.modules)))"
    run = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout == "[]\n"
