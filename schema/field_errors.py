"""`FieldError`: which input field a mutation refused, and why; shared by every domain.

`InvalidInput.fields` lists them, so a form can show each message beside its field. The path
is inside the mutation's `input` argument, in GraphQL names (`["contactDetails", "email"]`).
"""

from __future__ import annotations

import strawberry


@strawberry.type(description="One refused input field: its path inside `input`, and why.")
class FieldError:
    path: list[str]
    message: str
