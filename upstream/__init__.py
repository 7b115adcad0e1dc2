"""The cTrader WebServices client: HTTP, codecs, error tree, token handling. No GraphQL here.

Start at `client.WebServicesClient` (built from a `config.ClientConfig`). The pieces:

    client.py          WebServicesClient, composed of the endpoint families below
    trader_calls.py    3.1-3.7: create, read, list (with hasMore paging), PUT, PATCH, DELETE
    account_calls.py   3.8-3.11 money and passwords; 3.24-3.26 cTrader IDs and links
    market_calls.py    3.12-3.14, 3.27, 3.28: groups, symbols, assets, position grids
    attributes.py      3.15-3.23: attributes of traders, groups and managers
    base.py            the shared httpx.AsyncClient, the token fetch, answer decoding
    exchange.py        one call: token, deadline, retries, breaker, logging, call hook
    breaker.py         the circuit breaker      tokens.py   token cache, MD5 of passwords
    calls.py           Call, content negotiation    pacing.py   clock, sleep, jitter, backoff
    answers.py         error bodies -> errors.error_for; bodies -> Fields
    wire.py            request documents -> exact JSON / XML bodies
    parsing.py         JSON (Decimal floats) and XML (defusedxml) bodies -> Fields
    fields.py          typed reading of a decoded body, the same for JSON and XML
    decode.py          Fields -> records           listing.py  summaries, paging, windows
    encode.py          input records -> documents  grids.py    CSV grids -> records
    records.py         what the upstream answers   inputs.py   what the client sends
    enums.py           the wire's enumerations     times.py    epoch ms and query times
    errors.py          the error tree              hooks.py    CallRecord for counting
    redaction.py       keeps the token out of httpx's own log lines
    sharing.py         identical reads in flight shared; writes make what they touch read anew
    read_cache.py      where tokens and kept answers live: this process or Redis
    kept.py            answers kept in this process    redis_cache.py  tokens, answers in Redis
"""
