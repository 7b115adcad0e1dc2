"""What a `Trader` shows: details, exact money, white label, partners, user, extras."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from starlette.applications import Starlette

from store.cli import import_users
from store.users_csv import parse_users_csv
from tests.resolvers.harness import (
    WHITE_LABELS,
    Graph,
    Json,
    Upstream,
    service_on,
    service_settings,
)

T0_MS = 1_772_446_830_456  # 2026-03-02T10:20:30.456Z
T0_ISO = "2026-03-02T10:20:30.456000+00:00"

ONE = """
query ($login: Int!) { trader(login: $login) { %s } }
"""


async def _trader(graph: Graph, login: int, selection: str) -> Json:
    return await graph.query(ONE % selection, login=login)


async def test_a_trader_shows_its_details(graph: Graph, upstream: Upstream) -> None:
    await upstream.pin_clock(T0_MS)
    group = (await upstream.group_names())[1]
    login = await upstream.create_trader(broker="atlas-markets", group=group, partner="ib-9")
    selection = """
      login name lastName accessRights accountType
      contactDetails { email phone countryId }
      registeredAt lastConnectedAt
      whiteLabel { name environment jurisdiction }
      group { name }
      partners { partnerId }
      account { currency moneyDigits leverage marginCalculationType swapFree limitedRisk
                credit { amount currency } }
    """
    assert await _trader(graph, login, selection) == {
        "data": {
            "trader": {
                "login": login,
                "name": "Ada",
                "lastName": "Lovelace",
                "accessRights": "FULL_ACCESS",
                "accountType": "HEDGED",
                "contactDetails": {"email": "ada@example.com", "phone": None, "countryId": None},
                "registeredAt": T0_ISO,
                "lastConnectedAt": None,
                "whiteLabel": {
                    "name": "atlas-markets",
                    "environment": "demo",
                    "jurisdiction": "AU",
                },
                "group": {"name": group},
                "partners": [{"partnerId": "ib-9"}],
                "account": {
                    "currency": "USD",
                    "moneyDigits": 2,
                    "leverage": "100",
                    "marginCalculationType": "MAX",
                    "swapFree": False,
                    "limitedRisk": False,
                    "credit": {"amount": "0.00", "currency": "USD"},
                },
            }
        }
    }


async def test_a_large_fiat_balance_is_exact(graph: Graph, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    await upstream.deposit(login, "1234567.89")
    result = await _trader(graph, login, "account { balance { amount currency } }")
    assert result == {
        "data": {"trader": {"account": {"balance": {"amount": "1234567.89", "currency": "USD"}}}}
    }


async def test_an_eight_digit_asset_amount_is_exact(graph: Graph, upstream: Upstream) -> None:
    login = await upstream.create_trader(currency="BTC")
    await upstream.deposit(login, "12.34567891")
    result = await _trader(graph, login, "account { moneyDigits balance { amount currency } }")
    assert result == {
        "data": {
            "trader": {
                "account": {
                    "moneyDigits": 8,
                    "balance": {"amount": "12.34567891", "currency": "BTC"},
                }
            }
        }
    }


async def test_the_smallest_asset_unit_prints_without_an_exponent(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(currency="BTC")
    await upstream.deposit(login, "0.00000001")
    result = await _trader(graph, login, "account { balance { amount } }")
    assert result == {"data": {"trader": {"account": {"balance": {"amount": "0.00000001"}}}}}


async def test_a_trader_moved_to_another_white_label_shows_the_new_one(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(broker="borealis-fx")
    await upstream.post(
        "/cid/ctid/changeCtidTraderAccount",
        f'{{"traderLogin": {login}, "brokerName": "sandbox", "environmentName": "demo"}}',
    )
    result = await _trader(graph, login, "whiteLabel { name jurisdiction }")
    assert result == {"data": {"trader": {"whiteLabel": {"name": "sandbox", "jurisdiction": "CY"}}}}


async def test_a_trader_without_sub_accounts_has_zero_totals(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(currency="EUR")
    selection = "subAccounts { logins totalBalance { amount currency } totalEquity { amount } }"
    assert await _trader(graph, login, selection) == {
        "data": {
            "trader": {
                "subAccounts": {
                    "logins": [],
                    "totalBalance": {"amount": "0.00", "currency": "EUR"},
                    "totalEquity": {"amount": "0.00"},
                }
            }
        }
    }


async def test_attributes_of_a_page_come_from_one_call(graph: Graph, upstream: Upstream) -> None:
    logins = [await upstream.create_trader() for _ in range(3)]
    body = (
        f'{{"traders": [{{"traderId": {logins[0]}, "attributes": '
        '[{"name": "kyc", "value": "passed"}, {"name": "tier", "value": "gold"}]}]}'
    )
    await upstream.post("/v2/webserv/traders/attributes", body, method="PUT")
    await graph.query("{ traders(first: 1) { edges { node { login } } } }")
    await upstream.reset_calls()
    query = "{ traders(first: 3) { edges { node { login attributes { name value } } } } }"
    result = await graph.query(query)
    expected_attributes = [
        [{"name": "kyc", "value": "passed"}, {"name": "tier", "value": "gold"}],
        [],
        [],
    ]
    assert (result, await upstream.calls()) == (
        {
            "data": {
                "traders": {
                    "edges": [
                        {"node": {"login": login, "attributes": attributes}}
                        for login, attributes in zip(logins, expected_attributes, strict=True)
                    ]
                }
            }
        },
        {"POST /v2/webserv/traders/attributes/list": 1},
    )


async def test_a_linked_trader_shows_its_user(
    graph: Graph, upstream: Upstream, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    user_id = await upstream.link_user(login, "grace@example.com")
    export = parse_users_csv(await upstream.users_csv())
    await import_users(export, service_settings(tmp_path).database_url)
    result = await _trader(graph, login, "user { userId email status traders { login } }")
    assert result == {
        "data": {
            "trader": {
                "user": {
                    "userId": user_id,
                    "email": "grace@example.com",
                    "status": "CTID_NEW",
                    "traders": [{"login": login}],
                }
            }
        }
    }


async def test_an_unlinked_trader_has_no_user(graph: Graph, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    assert await _trader(graph, login, "user { email }") == {"data": {"trader": {"user": None}}}


async def test_a_white_label_outside_the_configuration_has_no_jurisdiction(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    login = await upstream.create_trader(broker="borealis-fx")
    settings = service_settings(tmp_path, white_labels={"sandbox": WHITE_LABELS["sandbox"]})
    async with service_on(sandbox, settings) as graph:
        result = await _trader(graph, login, "whiteLabel { name environment jurisdiction }")
    assert result == {
        "data": {
            "trader": {
                "whiteLabel": {"name": "borealis-fx", "environment": None, "jurisdiction": None}
            }
        }
    }


async def test_a_parent_shows_its_sub_accounts_and_their_totals(
    graph: Graph, upstream: Upstream
) -> None:
    await upstream.seed(7, 60)
    family = await upstream.get(
        "/v2/webserv/traders/",
        **{"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"},
        fields="login,subAccountOf,balance,moneyDigits,depositCurrency",
    )
    assert isinstance(family, dict)
    children = [t for t in family["trader"] if t.get("subAccountOf")]
    parent = children[0]["subAccountOf"]
    mine = [t for t in children if t["subAccountOf"] == parent]
    digits, currency = mine[0]["moneyDigits"], mine[0]["depositCurrency"]
    total = format(Decimal(sum(t["balance"] for t in mine)).scaleb(-digits), "f")
    selection = "subAccounts { logins totalBalance { amount currency } traders { login } }"
    result = await _trader(graph, parent, selection)
    assert result == {
        "data": {
            "trader": {
                "subAccounts": {
                    "logins": [t["login"] for t in mine],
                    "totalBalance": {"amount": total, "currency": currency},
                    "traders": [{"login": t["login"]} for t in mine],
                }
            }
        }
    }
