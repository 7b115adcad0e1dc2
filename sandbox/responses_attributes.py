"""Handlers of the nine attribute calls (§3.15-§3.23): list, upsert and delete per entity kind."""

from __future__ import annotations

from starlette.responses import Response

from sandbox import attributes
from sandbox.endpoint import Call, Handler


def _kind(call: Call) -> attributes.Kind:
    return attributes.KINDS[call.request.url.path.split("/")[3]]


async def list_attributes(call: Call) -> Response:
    async with call.state.db.read() as connection:
        found = await attributes.list_attributes(connection, call.manager, _kind(call), call.body)
    return call.reply(found, "attributeList")


async def upsert_attributes(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await attributes.upsert(connection, call.manager, _kind(call), call.body, call.now)
    return call.reply({}, "result")


async def delete_attributes(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await attributes.remove(connection, call.manager, _kind(call), call.body)
    return call.reply({}, "result")


HANDLERS: list[tuple[str, str, Handler]] = [
    ("POST", "list", list_attributes),
    ("PUT", "", upsert_attributes),
    ("POST", "delete", delete_attributes),
]
