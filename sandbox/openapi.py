"""OpenAPI 3.1 document of the emulated API (placeholder, filled in below)."""

from __future__ import annotations

from sandbox.jsonvalue import JsonObject


def document() -> JsonObject:
    return {"openapi": "3.1.0", "info": {"title": "sandbox", "version": "1"}, "paths": {}}
