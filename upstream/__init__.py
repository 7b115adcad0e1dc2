"""The cTrader WebServices client: HTTP, codecs, error tree, token handling. No GraphQL here."""
