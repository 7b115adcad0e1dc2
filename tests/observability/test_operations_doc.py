"""docs/operations.md stays true to the code: its settings table and its metric names."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from observability.configuration import configuration_table
from observability.metrics import Metrics

DOC = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")


def _between(begin: str, end: str) -> str:
    return DOC.split(begin, 1)[1].split(end, 1)[0].strip()


def test_the_configuration_table_is_the_settings_table() -> None:
    documented = _between("<!-- settings:begin -->", "<!-- settings:end -->")
    assert documented == configuration_table(), (
        "docs/operations.md is stale: run `python -m observability.configuration` and paste its"
        " output between the settings markers"
    )


class _Example(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EX_")

    url: str | None = Field(default=None, description="Where | it is.")
    secret: SecretStr = Field(default=SecretStr(""), description="Kept.")
    labels: dict[str, str] = Field(default_factory=dict, description="JSON.")
    on: bool = Field(default=True, description="Switch.")


def test_a_table_row_gives_variable_default_and_meaning() -> None:
    assert configuration_table(_Example).splitlines() == [
        "| variable | default | meaning |",
        "|---|---|---|",
        "| `EX_URL` | unset | Where \\| it is. |",
        "| `EX_SECRET` | *(empty)* | Kept. |",
        "| `EX_LABELS` | `{}` | JSON. |",
        "| `EX_ON` | `true` | Switch. |",
    ]


def test_every_metric_the_service_exports_is_documented() -> None:
    exported = {family.name for family in Metrics().registry.collect()}
    documented = set(re.findall(r"`(tradergraph_[a-z_]+?)(?:_total)?`", DOC))
    assert exported - documented == set()
