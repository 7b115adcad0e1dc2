"""Who is asking: callers, their sessions and API keys, and what each may reach.

    settings.py    AuthSettings: session lifetime, partner keys, the default caller, login delays
    secrets.py     opaque tokens and their SHA-256 digests (only digests are stored)
    callers.py     Caller: a manager (own upstream token), a partner key, or the default caller
    store.py       tables tg_sessions and tg_api_keys, and the two stores over them
    identify.py    Authorization: Bearer -> Caller, or Unauthenticated
    gate.py        the door's caller checks: 401 for anonymous requests other than `login`,
                   at most one `login` field
    throttle.py    LoginThrottle: growing delays between logins per address (memory or Redis)
    scope.py       the per-caller view of the services: client, trader index, partner filter
    rules.py       CallerRules: read-only callers and partner keys run no (money) mutation
    cli.py         `tradergraph keys create --partner ID [--read-only]`

docs/security.md draws the threat model these answer.
"""
