"""Opaque bearer tokens: 32 random bytes, a prefix naming their kind, stored as SHA-256.

The tokens carry 256 bits of entropy, so a fast digest is enough to make a stolen database
useless for logging in (no password-style stretching is needed), and lookups stay one query.
"""

from __future__ import annotations

import hashlib
import secrets

SESSION_PREFIX = "tgs_"
KEY_PREFIX = "tgk_"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
