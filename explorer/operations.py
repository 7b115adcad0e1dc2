"""The operations the explorer opens with: what a partner portal asks, and a deposit.

They name data of the demo's seeded sandbox (`make run`, seed 42): partner `IB-0230` brought in
trader 3000038, a USD account among the first 40 seeded traders, so both examples answer with
data at any demo size. Everything else about them is ordinary GraphQL a client can copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

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

EXAMPLES = (PARTNER_PORTAL, DEPOSIT)
