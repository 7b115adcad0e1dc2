"""cTrader IDs: create a user, link a trader to one; the service records both itself.

The upstream cannot read users or links back (reference §12), so every user and link made here
is saved in the service's user store, which the `User` graph reads. A link needs the user in
that store (its row is the link's parent): a user the service has never seen is refused before
any upstream call, with the advice to import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from resolvers.lifecycle import validation as check
from resolvers.lifecycle.desk import LifecycleDesk
from resolvers.lifecycle.failures import Failure, Refusal, Refused, attempt, refuse
from resolvers.lifecycle.validation import Checks
from store.users import Link, User
from upstream.inputs import LinkRequest, NewCtid
from upstream.records import CtidUser, ExistingCtid
from upstream.times import to_epoch_ms


@dataclass(frozen=True)
class Linked:
    """A trader and the user it now belongs to; `ctid_trader_account_id` is the link's id."""

    trader_login: int
    user: User
    ctid_trader_account_id: int | None


async def create_user(desk: LifecycleDesk, new: NewCtid) -> User | Refusal:
    return await attempt(_create(desk, new))


async def link_trader(
    desk: LifecycleDesk, login: int, user_id: int, password: SecretStr
) -> Linked | Refusal:
    return await attempt(_link(desk, login, user_id, password))


async def _create(desk: LifecycleDesk, new: NewCtid) -> User:
    checks = Checks()
    checks.require(new.email.strip() != "", ("email",), "must not be empty")
    check.email(checks, ("email",), new.email)
    check.language(checks, ("preferredLanguage",), new.preferred_language)
    checks.done()
    if new.broker_name is not None:
        desk.environment(new.broker_name)
    created = await desk.client.create_ctid(new)
    if isinstance(created, ExistingCtid):
        raise _taken(created.user_id)
    user = _record(created)
    await desk.users.save_users([user])
    return user


def _taken(user_id: int) -> Refused:
    """The upstream answers a known email with that user's id and creates nothing."""
    message = f"this email is already the cTrader ID of user {user_id}"
    return Refused(Refusal(Failure.EMAIL_ALREADY_EXISTS, message, user_id=user_id))


def _record(created: CtidUser) -> User:
    return User(
        user_id=created.user_id,
        email=created.email,
        nickname=created.nickname,
        preferred_language=created.preferred_language,
        status=created.status.value,
        created_ms=to_epoch_ms(created.utc_create_timestamp),
    )


async def _link(desk: LifecycleDesk, login: int, user_id: int, password: SecretStr) -> Linked:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.login(checks, ("userId",), user_id)
    check.password(checks, ("password",), password)
    checks.done()
    user = (await desk.users.users_by_id([user_id])).get(user_id)
    if user is None:
        message = f"the service knows no user {user_id}; create it or import it first"
        raise refuse(Failure.USER_NOT_FOUND, message)
    broker = (await desk.client.get_trader(login)).broker_name or ""
    environment = desk.environment(broker)
    link = await desk.client.link_trader(LinkRequest(login, password, user_id, broker, environment))
    account_id = None if link is None else link.ctid_trader_account_id
    await desk.users.save_links([Link(login, user_id, account_id, broker, environment)])
    return Linked(login, user, account_id)
