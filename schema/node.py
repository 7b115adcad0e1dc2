"""Relay's `Node` interface and the global ids behind `node(id)`.

A global id is base64 of "Type:key" (`Trader:30001`, `WhiteLabel:sandbox`), opaque to clients
and stable: the same object always has the same id.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from resolvers.errors import InvalidInput


@strawberry.interface(description="An object with a global id, refetchable with `node(id)`.")
class Node:
    id: strawberry.ID


def global_id(type_name: str, key: object) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{key}".encode()).decode())


def node_id(type_name: str, key: str) -> strawberry.ID:
    """A node type's `id` field: the global id of its attribute `key`, made only when the query
    selects it (a page of traders would otherwise encode one per node, asked for or not)."""

    def resolve(self: Any) -> strawberry.ID:
        return global_id(type_name, getattr(self, key))

    return strawberry.field(resolver=resolve)


def parse_global_id(value: str) -> tuple[str, str]:
    """(type name, key) of a global id; InvalidInput when it is not one of ours."""
    try:
        type_name, key = base64.b64decode(value.encode(), validate=True).decode().split(":", 1)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(f"Invalid node id {value!r}.") from None
    return type_name, key
