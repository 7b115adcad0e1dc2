"""The GraphiQL explorer, served with all its assets from the service itself.

`explorer_page` answers a browser's GET of /graphql; `asset_routes` serves the vendored React and
GraphiQL builds (explorer/static/, refreshed by `make vendor-graphiql`) and the page's own script.
`operations` holds the example tabs: a partner-portal query and a deposit.
"""

from explorer.page import asset_routes, explorer_page

__all__ = ["asset_routes", "explorer_page"]
