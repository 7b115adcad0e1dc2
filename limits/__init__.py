"""What one request may ask of the service, checked before any upstream call.

    settings.py    LimitSettings: every limit, its default and its TRADERGRAPH_* variable
    http.py        FrontDoor: /graphql over HTTP, from the raw request to the written answer
                   (media types of GraphQL over HTTP, statuses, the catch-all 500)
    stage.py       Stage: the one pass every request makes (read, decode, resolve, identify,
                   parse once, count the rate, refuse); its result is one `Asked`
    request.py     Asked: what the stage learned, carried on the request's Context
    body.py        the body read once, bounded; UTF-8 and JSON once, nesting bounded
    clients.py     the client address (socket peer, or X-Forwarded-For from trusted proxies)
    parsing.py     the capped, cached parser; the rate kind of an operation
    parsed.py      ParsedOnce: Strawberry's parse step answered from the stage's document
    document.py    one walk over a parsed document (fragments expanded, with a visit budget)
                   measuring depth, aliases, directives, root fields, `first` and money mutations
    measure.py     the counters, each refusing the operation as soon as it passes its limit
    cost.py        the price of each field in upstream calls, from the loader plan
    calls.py       the count of upstream calls one request really made
    operation.py   OperationLimits, the Strawberry extension that applies the above per request
    hardening.py   ProductionHardening: introspection and field suggestions off in production
    rates.py       request counters per window: in memory, or Redis shared by replicas
    rate_limits.py RateLimits: counts what the door did not (the websocket), marks admission
    documents.py   Documents: automatic persisted queries, or only a manifest's (require)
    apq.py         where registered documents live: a memory LRU, or Redis for every replica
    admission.py   whether GraphQL admitted an operation (only then is its document registered)
    codes.py       the error codes and how a refusal is written
    cli.py         `tradergraph documents add`: hashes documents into the manifest

Docs: docs/security.md lists every limit with its default and its setting.
"""
