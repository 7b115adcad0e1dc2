"""What one request may ask of the service, checked before any upstream call.

    http.py        FrontDoor: /graphql over HTTP, from the raw request to the written answer
                   (media types of GraphQL over HTTP, statuses, the catch-all 500)
    stage.py       Stage: the one pass every request makes (read, decode, resolve, identify,
                   parse once, count the rate, refuse); its result is one `Asked`
    request.py     Asked: what the stage learned, carried on the request's Context
    body.py        the body read once, bounded; UTF-8 and JSON once, nesting bounded
    gate.py        the door's caller checks: 401 for anonymous requests other than `login`,
                   at most one `login` field
    clients.py     the client address (socket peer, or X-Forwarded-For from trusted proxies)
    parsing.py     the capped, cached parser; the rate kind of an operation
    walk.py        one walk over a parsed document (fragments expanded, with a visit budget)
                   measuring depth, aliases, directives, root fields, `first` and money mutations
    measure.py     the counters, each refusing the operation as soon as it passes its limit
    cost.py        the price of each field in upstream calls, from the loader plan
    calls.py       the count of upstream calls one request really made
    rates.py       request counters per window: in memory, or Redis shared by replicas
    documents.py   Documents: automatic persisted queries, or only a manifest's (require)
    apq.py         where registered documents live: a memory LRU, or Redis for every replica
    admission.py   whether GraphQL admitted an operation (only then is its document registered)
    codes.py       the error codes and how a refusal is written
    cli.py         `tradergraph documents add`: hashes documents into the manifest

The Strawberry extensions that apply these inside GraphQL (ParsedOnce, OperationLimits,
ProductionHardening, RateLimits) are in schema/extensions/; LimitSettings is settings/limits.py.
Docs: docs/security.md lists every limit with its default and its setting.
"""
