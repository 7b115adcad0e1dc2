"""Money movements exactly once: the journal-first engine, transfers as sagas, operator resolution.

Read `docs/money.md` first. Layout: `orders` (what is asked), `validation` (amount rules),
`gateway` (the upstream door and its error translation), `movements` (exactly once),
`transfers` (sagas), `resolution` (operators settle unknown outcomes), `recovery` (start-up).
"""
