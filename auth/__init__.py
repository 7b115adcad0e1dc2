"""Who is asking: callers, their sessions and API keys, and what each may reach.

    secrets.py     opaque tokens and their SHA-256 digests (only digests are stored)
    callers.py     Caller: a manager (own upstream token), a partner key, or the default caller
    store.py       tables tg_sessions and tg_api_keys, and the two stores over them
    identify.py    Authorization: Bearer -> Caller, or Unauthenticated
    throttle.py    LoginThrottle: growing delays between logins per address (memory or Redis)
    cli.py         `tradergraph keys create --partner ID [--read-only]`

Elsewhere, by layer (auth sits below resolvers and limits, and imports neither):
settings/auth.py (AuthSettings), limits/gate.py (the door's caller checks),
resolvers/scope.py and resolvers/visibility.py (what each caller sees),
schema/extensions/caller_rules.py (CallerRules).
docs/security.md draws the threat model these answer.
"""
