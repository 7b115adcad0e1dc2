"""GraphQL types, one module per domain; assembled into one schema here."""
