"""Live updates without GraphQL: shared pollers, differences, fan-out to subscribers.

The upstream has no push, so the service polls it; `live/` makes one poll serve every subscriber.

| file | responsibility |
|---|---|
| `clock.py` | `Clock`: how a poller waits between polls (real time, or a test's own clock) |
| `changes.py` | `Item`, `Change`, `Audience` and `Scope`; `diff` of two snapshots |
| `codec.py` | dataclass values to JSON text and back, for changes that cross Redis |
| `backoff.py` | `Backoff`: the wait after a failed poll (429 and 5xx: longer, bounded) |
| `poller.py` | `Source` (what to poll) and `Poller`: poll, diff, hand over the differences |
| `topic.py` | `Topic`: one key's subscribers and their queues; scope applied at fan-out |
| `hub.py` | `LiveHub`: one poller per key whatever the subscribers; stops with the last one |
| `watchlist.py` | `Watchlist`: the accounts or positions one poller watches for its subscribers |
| `redis_bus.py` | `RedisBus`: a leader per poller key (lock with TTL) and fan-out through pub/sub |
| `listener.py` | `Listener`: one pub/sub connection per replica for all its channels |

Nothing here knows GraphQL or the upstream's wire: `resolvers/subscriptions.py` says what to
poll and `schema/subscriptions.py` turns changes into subscription events.
"""
