"""A partner portal's report: the traders an introducing broker brought in, and their money.

Written as a partner's developer would, with a standard GraphQL client (gql over httpx) and
nothing from this repository. Pages through `partner.traders` with cursors and adds balances
up per currency with `Decimal`: amounts arrive as decimal strings and are never floats.

    make run                                          # in another terminal
    .venv/bin/python examples/partner_portal.py --partner IB-0230

Against a service in production mode, give the partner's API key (`tradergraph keys create
--partner IB-0230 --read-only` prints it) with `--token` or in `TRADERGRAPH_TOKEN`; it is sent as
`Authorization: Bearer`, and the service shows the partner its own traders and nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.httpx import HTTPXAsyncTransport

PAGE = """
query PartnerTraders($partner: String!, $first: Int!, $after: String) {
  partner(id: $partner) {
    traders(first: $first, after: $after) {
      edges { node {
        login name lastName
        whiteLabel { name }
        account { balance { amount currency } equity { amount currency } }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


@dataclass(frozen=True)
class Holding:
    """One trader of the partner, as the report shows it."""

    login: int
    name: str
    white_label: str
    currency: str
    balance: Decimal
    equity: Decimal


@dataclass(frozen=True)
class Totals:
    currency: str
    traders: int
    balance: Decimal
    equity: Decimal


def holding(node: Mapping[str, Any]) -> Holding:
    account = node["account"]
    return Holding(
        login=node["login"],
        name=" ".join(part for part in (node["name"], node["lastName"]) if part),
        white_label=node["whiteLabel"]["name"] if node["whiteLabel"] else "-",
        currency=account["balance"]["currency"],
        balance=Decimal(account["balance"]["amount"]),
        equity=Decimal(account["equity"]["amount"]),
    )


async def partner_holdings(
    url: str, partner: str, page_size: int, token: str | None = None
) -> list[Holding] | None:
    """Every trader of the partner, page by page; None when no trader names the partner."""
    holdings: list[Holding] = []
    after: str | None = None
    headers = {"Authorization": f"Bearer {token}"} if token else None
    transport = HTTPXAsyncTransport(url=url, timeout=30, headers=headers)
    async with Client(transport=transport) as session:
        while True:
            variables = {"partner": partner, "first": page_size, "after": after}
            result = await session.execute(GraphQLRequest(PAGE, variable_values=variables))
            if result["partner"] is None:
                return None
            page = result["partner"]["traders"]
            holdings.extend(holding(edge["node"]) for edge in page["edges"])
            if not page["pageInfo"]["hasNextPage"]:
                return holdings
            after = page["pageInfo"]["endCursor"]


def totals(holdings: Iterable[Holding]) -> list[Totals]:
    """Balance and equity added up per currency (amounts of different currencies never mix)."""
    sums: dict[str, Totals] = {}
    for item in holdings:
        so_far = sums.get(item.currency, Totals(item.currency, 0, Decimal(0), Decimal(0)))
        sums[item.currency] = Totals(
            item.currency,
            so_far.traders + 1,
            so_far.balance + item.balance,
            so_far.equity + item.equity,
        )
    return [sums[currency] for currency in sorted(sums)]


def report(partner: str, holdings: list[Holding]) -> list[str]:
    lines = [
        f"Partner {partner}, traders: {len(holdings)}",
        f"{'login':>9}  {'name':<24} {'white label':<14} {'balance':>16} {'equity':>16}",
    ]
    lines += [
        f"{h.login:>9}  {h.name:<24} {h.white_label:<14} "
        f"{h.balance:>12,} {h.currency} {h.equity:>12,} {h.currency}"
        for h in holdings
    ]
    lines.append("Totals per currency")
    lines += [
        f"  {t.currency}: traders {t.traders}, balance {t.balance:,}, equity {t.equity:,}"
        for t in totals(holdings)
    ]
    return lines


def refused(error: Mapping[str, Any]) -> str:
    """One GraphQL error as a line: its code, its message and the request id to quote."""
    extensions = error.get("extensions") or {}
    line = f"{extensions.get('code', 'ERROR')}: {error.get('message', '')}"
    request_id = extensions.get("requestId")
    return f"{line} (request id {request_id})" if request_id else line


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="A partner's traders and their money.")
    p.add_argument("--url", default="http://127.0.0.1:8000/graphql", help="the GraphQL endpoint")
    p.add_argument("--partner", default="IB-0230", help="the introducing broker's id")
    p.add_argument("--page-size", type=int, default=50, help="traders asked per request")
    p.add_argument(
        "--token",
        default=os.environ.get("TRADERGRAPH_TOKEN"),
        help="the partner's API key or a session token (default: $TRADERGRAPH_TOKEN)",
    )
    return p


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Print the report to `out` (stdout); 1 for an unknown partner, 2 for a refused query."""
    args = parser().parse_args(argv)
    out, err = out or sys.stdout, err or sys.stderr
    try:
        holdings = asyncio.run(partner_holdings(args.url, args.partner, args.page_size, args.token))
    except TransportQueryError as error:
        for refusal in error.errors or []:
            print(f"the service refused the query: {refused(refusal)}", file=err)
        return 2
    except TransportServerError as error:
        print(f"the service refused the request: HTTP {error.code}", file=err)
        return 2
    if holdings is None:
        print(f"no trader names partner {args.partner}", file=err)
        return 1
    print("\n".join(report(args.partner, holdings)), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
