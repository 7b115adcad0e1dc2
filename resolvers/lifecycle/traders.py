"""Create, update (PATCH), attribute to partners, move to another white label, delete.

Each write is sent once; after it the trader index is forgotten, because the change may move
the trader in it (a new login, another group, white label or partner, or none at all). A move to
another white label also updates the service's record of the trader's link, if it has one.
"""

from __future__ import annotations

from dataclasses import replace

from resolvers.lifecycle import validation as check
from resolvers.lifecycle.desk import LifecycleDesk
from resolvers.lifecycle.failures import FieldProblem, Refusal, Refused, attempt
from resolvers.lifecycle.validation import Checks, invalid
from upstream.inputs import NewTrader, TraderPatch, TraderSettings
from upstream.records import ContactDetails, Trader

NOTHING = TraderPatch()


async def create_trader(desk: LifecycleDesk, new: NewTrader) -> Trader | Refusal:
    return await attempt(_create(desk, new))


async def update_trader(desk: LifecycleDesk, login: int, patch: TraderPatch) -> int | Refusal:
    return await attempt(_update(desk, login, patch))


async def attribute_to_partners(
    desk: LifecycleDesk, login: int, first: str | None, second: str | None
) -> int | Refusal:
    return await attempt(_attribute(desk, login, first, second))


async def move_to_white_label(desk: LifecycleDesk, login: int, white_label: str) -> int | Refusal:
    return await attempt(_move(desk, login, white_label))


async def delete_trader(desk: LifecycleDesk, login: int) -> int | Refusal:
    return await attempt(_delete(desk, login))


async def _create(desk: LifecycleDesk, new: NewTrader) -> Trader:
    checks = Checks()
    check.text(checks, ("group",), new.group_name)
    check.currency(checks, ("depositCurrency",), new.deposit_currency)
    check.leverage(checks, ("leverage",), new.leverage)
    check.password(checks, ("password",), new.password)
    _settings(checks, new.settings)
    checks.done()
    desk.environment(new.broker_name)
    await _known_currency(desk, new.deposit_currency)
    trader = await desk.client.create_trader(new)
    desk.index.invalidate()
    return trader


async def _known_currency(desk: LifecycleDesk, currency: str) -> None:
    """One read: the upstream answers an unknown asset with a generic INVALID_REQUEST only."""
    assets = await desk.client.deposit_assets()
    if currency not in assets:
        problem = f"is not a deposit asset of the upstream ({', '.join(assets)})"
        raise Refused(invalid([FieldProblem(("depositCurrency",), problem)]))


async def _update(desk: LifecycleDesk, login: int, patch: TraderPatch) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.text(checks, ("group",), patch.group_name)
    check.leverage(checks, ("leverage",), patch.leverage)
    _settings(checks, patch.settings)
    checks.require(patch != NOTHING, (), "give at least one field to change")
    checks.done()
    await desk.client.patch_trader(login, patch)
    desk.index.invalidate()
    return login


def _settings(checks: Checks, settings: TraderSettings) -> None:
    check.text(checks, ("name",), settings.name)
    check.text(checks, ("lastName",), settings.last_name)
    check.text(checks, ("description",), settings.description, 500)
    details = settings.contact_details
    check.contact(checks, ("contactDetails",), details)
    if details is not None:
        check.partners(checks, details.introducing_broker1, details.introducing_broker2)


async def _attribute(desk: LifecycleDesk, login: int, first: str | None, second: str | None) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.partners(checks, first, second)
    checks.require(first is not None or second is not None, (), "name at least one partner")
    checks.done()
    details = ContactDetails(introducing_broker1=first, introducing_broker2=second)
    await desk.client.patch_trader(login, TraderPatch(settings=TraderSettings(details)))
    desk.index.invalidate()
    return login


async def _move(desk: LifecycleDesk, login: int, white_label: str) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    checks.done()
    environment = desk.environment(white_label)
    await desk.client.move_to_white_label(login, white_label, environment)
    desk.index.invalidate()
    await _relabel_link(desk, login, white_label, environment)
    return login


async def _relabel_link(
    desk: LifecycleDesk, login: int, white_label: str, environment: str
) -> None:
    """The upstream moves the trader's link with it; the service's record of it follows."""
    link = (await desk.users.links_by_login([login])).get(login)
    if link is not None:
        moved = replace(link, broker_name=white_label, environment_name=environment)
        await desk.users.save_links([moved])


async def _delete(desk: LifecycleDesk, login: int) -> int:
    checks = Checks()
    check.login(checks, ("login",), login)
    checks.done()
    await desk.client.delete_trader(login)
    await desk.users.delete_links([login])  # so `User.traders` no longer lists it
    desk.index.invalidate()
    return login
