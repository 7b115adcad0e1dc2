"""The schema's Strawberry extensions, in one place (as Strawberry keeps `strawberry/extensions/`).

`schema/__init__.py` lists them in the order they run:

    telemetry.py         OperationTelemetry: a span and a latency observation per operation
    error_codes.py       ErrorCodes: every error rewritten once (code, message, request id)
    parsed.py            ParsedOnce: the parse step answered from the front door's document
    hardening.py         ProductionHardening: no introspection, no suggestions in production
    operation_limits.py  OperationLimits: depth, aliases, directives, pages, cost (limits/)
    caller_rules.py      CallerRules: read-only callers and partner keys run no (money) mutation
    rate_limits.py       RateLimits: counts what the door did not (the websocket), marks admission

They sit in the schema layer because they read the request's `Context` (resolvers/context.py);
the checks they apply live below, in limits/, auth/ and observability/.
"""
