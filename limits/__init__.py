"""What one request may ask of the service, checked before any upstream call.

    settings.py    LimitSettings: every limit, its default and its TRADERGRAPH_* variable
    http.py        the HTTP guard in front of /graphql: body size, JSON only, no batches,
                   no mutations over GET
    document.py    one walk over a parsed document (fragments expanded, with a visit budget)
                   measuring depth, aliases, directives, root fields, `first` and money mutations
    measure.py     the counters, each refusing the operation as soon as it passes its limit
    cost.py        the price of each field in upstream calls, from the loader plan
    calls.py       the count of upstream calls one request really made
    operation.py   OperationLimits, the Strawberry extension that applies the above per request
    hardening.py   ProductionHardening: introspection and field suggestions off in production
    rates.py       request counters per window: in memory, or Redis shared by replicas
    rate_limits.py RateLimits, the Strawberry extension counting each operation against its caller
    documents.py   TrustedDocuments: automatic persisted queries, or only a manifest's (require)
    apq.py         where registered documents live: a memory LRU, or Redis for every replica
    admission.py   whether GraphQL admitted an operation (only then is its document registered)
    codes.py       the error codes and how a refusal is written
    cli.py         `tradergraph documents add`: hashes documents into the manifest

Docs: docs/security.md lists every limit with its default and its setting.
"""
