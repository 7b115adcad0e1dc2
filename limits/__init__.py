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
    codes.py       the error codes and how a refusal is written

Docs: docs/security.md lists every limit with its default and its setting.
"""
