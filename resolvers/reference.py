"""Reference-data reads shared by several fields of one request."""

from __future__ import annotations

from resolvers.context import Info
from upstream.records import TraderGroup


async def group_named(info: Info, name: str) -> TraderGroup | None:
    """The group called `name`; all groups come from one upstream call per request."""
    groups = await info.context.loaders.groups.get()
    return next((group for group in groups if group.name == name), None)
