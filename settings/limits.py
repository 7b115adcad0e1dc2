"""`LimitSettings`: the operation limits, a base of `ServiceSettings` so they read as
`TRADERGRAPH_MAX_DEPTH` and so on, like every other setting.

The defaults admit every query of the explorer and the demo with room to spare, and refuse
documents built to be expensive (docs/security.md gives the reasoning for each).
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode


class LimitSettings(BaseSettings):
    """Limits on one GraphQL request; all are checked before the first upstream call."""

    max_body_bytes: int = Field(
        default=64 * 1024, gt=0, description="Largest POST body accepted on /graphql, in bytes."
    )
    max_json_depth: int = Field(
        default=32,
        gt=0,
        description="Deepest nesting of JSON arrays and objects in a request (variables included).",
    )
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="CIDRs of the reverse proxies in front of the service, comma-separated: from"
        " those peers the client address is read from X-Forwarded-For. Empty: the header is"
        " ignored and the socket peer is the client.",
    )
    max_tokens: int = Field(
        default=3000, gt=0, description="Most lexical tokens in one document (parsing stops)."
    )
    max_depth: int = Field(
        default=12, gt=0, description="Deepest field nesting, fragments expanded."
    )
    max_aliases: int = Field(
        default=30, ge=0, description="Most aliased fields in one operation, fragments expanded."
    )
    max_directives: int = Field(
        default=20, ge=0, description="Most directives in one operation, fragments expanded."
    )
    max_root_fields: int = Field(
        default=10, gt=0, description="Most fields at the root of one operation."
    )
    max_selections: int = Field(
        default=2000,
        gt=0,
        description="Most field selections, fragments expanded (bounds the checks' own work).",
    )
    max_upstream_calls: int = Field(
        default=60,
        gt=0,
        description="Budget of one operation, in upstream calls estimated before execution.",
    )
    max_money_mutations: int = Field(
        default=1,
        ge=0,
        description="Most money mutations (deposit, transferFunds...) per document.",
    )
    rate_window_seconds: float = Field(
        default=60.0, gt=0, description="Length of the window the request rates are counted in."
    )
    rate_queries: int = Field(
        default=600, gt=0, description="Queries one caller may send per rate window."
    )
    rate_mutations: int = Field(
        default=60, gt=0, description="Mutations (other than money) one caller may send per window."
    )
    rate_money_mutations: int = Field(
        default=10, gt=0, description="Money mutations one caller may send per rate window."
    )
    trusted_documents: Literal["open", "require"] = Field(
        default="open",
        description="`open`: any document, plus automatic persisted queries; `require`: only the"
        " documents of `trusted_documents_file` run.",
    )
    trusted_documents_file: Path | None = Field(
        default=None,
        description='Manifest of trusted documents, JSON {"<sha256>": "<document>"}, written by'
        " `tradergraph documents add`.",
    )
    apq_max_document_bytes: int = Field(
        default=16 * 1024,
        gt=0,
        description="Largest document (UTF-8 bytes) an automatic persisted query may register;"
        " a larger one is refused with `PERSISTED_QUERY_TOO_LARGE`.",
    )
    apq_ttl_seconds: int = Field(
        default=900,
        gt=0,
        description="With `redis_url` set, how long Redis keeps an automatic persisted query after"
        " its last use.",
    )
    apq_memory_bytes: int = Field(
        default=16 * 1024 * 1024,
        gt=0,
        description="Without `redis_url`, most bytes of automatic persisted queries one process"
        " remembers (least recently used go first; at most 10,000 documents).",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """`10.0.0.0/8, 192.168.1.7` from the environment; a sequence as it is."""
        if isinstance(value, str):
            return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())
        return value
