"""The configuration table of docs/operations.md, generated from `ServiceSettings`.

The settings' field descriptions are the documentation of each variable; this renders them as
one Markdown table (variable, default, meaning) so the operations guide cannot drift from the
code: tests/observability/test_operations_doc.py compares the two. After adding a setting, run
`python -m observability.configuration` and paste its output between the table's markers.
"""

from __future__ import annotations

import json
import sys
from enum import Enum

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from settings import ServiceSettings

HEADER = "| variable | default | meaning |\n|---|---|---|"


def _default(field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "*(secret)*" if value.get_secret_value() else "*(empty)*"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, dict | list | bool):
        return f"`{json.dumps(value)}`"
    return f"`{value}`"


def _row(prefix: str, name: str, field: FieldInfo) -> str:
    meaning = (field.description or "").replace("|", "\\|").replace("\n", " ")
    return f"| `{prefix}{name.upper()}` | {_default(field)} | {meaning} |"


def configuration_table(settings: type[BaseSettings] = ServiceSettings) -> str:
    prefix = str(settings.model_config.get("env_prefix", ""))
    rows = [_row(prefix, name, field) for name, field in settings.model_fields.items()]
    return "\n".join([HEADER, *rows])


if __name__ == "__main__":
    sys.stdout.write(configuration_table() + "\n")
