"""The operations the explorer opens with: what a partner portal asks, and a deposit.

They name data of the demo's seeded sandbox (`make run`, seed 42): partner `IB-0230` brought in
trader 3000038, a USD account among the first 40 seeded traders, so the examples answer with
data at any demo size. The activity example covers this month and the two before it, which the
demo backfills into the deal mirror at start (`month_start`). Everything else about them is
ordinary GraphQL a client can copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

PARTNER_ID = "IB-0230"
DEPOSIT_LOGIN = 3000038


@dataclass(frozen=True)
class Example:
    """One GraphiQL tab: an operation and its variables as the editor shows them (JSON text)."""

    query: str
    variables: str


PARTNER_PORTAL = Example(
    query="""\
# Partner portal: the traders an introducing broker
# brought in, with their money.
# Ctrl-Enter runs it; Ctrl-Space completes a field.
query PartnerPortal($partner: String!, $first: Int!) {
  partner(id: $partner) {
    partnerId
    traders(first: $first) {
      totalCount
      edges {
        node {
          login
          name
          lastName
          whiteLabel { name jurisdiction }
          group { name }
          account {
            balance { amount currency }
            equity { amount currency }
            freeMargin { amount currency }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
""",
    variables=json.dumps({"partner": PARTNER_ID, "first": 10}, indent=2),
)

DEPOSIT = Example(
    query="""\
# A deposit, exactly once per idempotencyKey: run it
# again and it answers the same movement, moving no
# money. A new deposit needs a new key; the same key
# with another amount is IdempotencyKeyReused.
# Amounts are decimal strings in the account's currency.
mutation Deposit($input: MoneyMovementInput!) {
  deposit(input: $input) {
    __typename
    ... on MoneyMovement {
      id
      state
      login
      amount { amount currency }
      historyId
      idempotencyKey
    }
    ... on MoneyError { message }
    ... on OutcomeUnknown { message movement { id state } }
  }
}
""",
    variables=json.dumps(
        {
            "input": {
                "login": DEPOSIT_LOGIN,
                "amount": "100.00",
                "idempotencyKey": "explorer-example-deposit-1",
                "comment": "deposit from the GraphiQL example",
            }
        },
        indent=2,
    ),
)

MONTHS = 3
"""The months the activity example shows: this one and the two before it."""


def month_start(today: date, back: int) -> datetime:
    """00:00 UTC of the first day of the month `back` months before `today`'s."""
    index = today.year * 12 + today.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partner_activity(today: date) -> Example:
    """A partner's activity month by month and by symbol, over the months up to `today`'s."""
    bounds = [month_start(today, back).isoformat() for back in range(MONTHS - 1, -2, -1)]
    names = ("monthBefore", "lastMonth", "thisMonth", "nextMonth")
    return Example(
        query=PARTNER_ACTIVITY_QUERY,
        variables=json.dumps(
            {"partner": PARTNER_ID, **dict(zip(names, bounds, strict=True))}, indent=2
        ),
    )


PARTNER_ACTIVITY_QUERY = """\
# A partner's activity, from the service's mirror of the
# deals (no upstream call): month by month, then by
# symbol over the three months. Figures are exact
# decimals; USD ones rounded per deal, half to even.
query PartnerActivity(
  $partner: String!
  $monthBefore: DateTime!
  $lastMonth: DateTime!
  $thisMonth: DateTime!
  $nextMonth: DateTime!
) {
  partner(id: $partner) {
    partnerId
    monthBefore: activity(from: $monthBefore, to: $lastMonth) {
      total { deals traders volume notionalUsd commissionUsd realizedPnlUsd }
    }
    lastMonth: activity(from: $lastMonth, to: $thisMonth) {
      total { deals traders volume notionalUsd commissionUsd realizedPnlUsd }
    }
    thisMonth: activity(from: $thisMonth, to: $nextMonth) {
      total { deals traders volume notionalUsd commissionUsd realizedPnlUsd }
    }
    bySymbol: activity(from: $monthBefore, to: $nextMonth, groupBy: [SYMBOL]) {
      groups {
        key { symbol }
        activity { deals volume notionalUsd commissionUsd realizedPnlUsd }
      }
    }
  }
}
"""

PARTNER_ACTIVITY = partner_activity(datetime.now(UTC).date())

EXAMPLES = (PARTNER_PORTAL, DEPOSIT, PARTNER_ACTIVITY)
