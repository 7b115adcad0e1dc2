"""Set or remove a trader's free-form attributes (name/value pairs).

The upstream skips ids the manager may not touch and refuses only when none is left, so a
missing trader would read as NOT_ENOUGH_RIGHTS: the trader is read first, to tell the two apart.
"""

from __future__ import annotations

from resolvers.lifecycle import validation as check
from resolvers.lifecycle.desk import LifecycleDesk
from resolvers.lifecycle.failures import Refusal, attempt
from resolvers.lifecycle.validation import Checks
from upstream.inputs import AttributeUpsert
from upstream.records import Attribute


async def set_attributes(
    desk: LifecycleDesk, login: int, pairs: tuple[Attribute, ...]
) -> int | Refusal:
    return await attempt(_set(desk, login, pairs))


async def remove_attributes(
    desk: LifecycleDesk, login: int, names: tuple[str, ...]
) -> int | Refusal:
    return await attempt(_remove(desk, login, names))


async def _set(desk: LifecycleDesk, login: int, pairs: tuple[Attribute, ...]) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.attributes(checks, pairs)
    checks.done()
    await desk.client.get_trader(login)
    await desk.client.upsert_trader_attributes([AttributeUpsert(login, pairs)])
    return login


async def _remove(desk: LifecycleDesk, login: int, names: tuple[str, ...]) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.attribute_names(checks, names)
    checks.done()
    await desk.client.get_trader(login)
    await desk.client.delete_trader_attributes([login], names)
    return login
