"""The explorer page: GraphiQL built from the service's own copies of its assets.

Strawberry's stock page loads React and GraphiQL from public CDNs, which many broker networks
(and this project's CI) cannot reach; this page loads everything from `/explorer/assets/`, and
its Content-Security-Policy keeps it that way: scripts, styles and requests come from the service
only. Inline styles stay allowed because GraphiQL's editor sets them at run time.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from string import Template

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from explorer.operations import EXAMPLES, Example

ASSETS_PATH = "/explorer/assets"
STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

PAGE = Template("""\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>tradergraph explorer</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="$assets/graphiql.min.css">
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading the explorer...</div>
    <script id="tg-examples" type="application/json">$examples</script>
    <script src="$assets/react.production.min.js"></script>
    <script src="$assets/react-dom.production.min.js"></script>
    <script src="$assets/graphiql.min.js"></script>
    <script src="$assets/explorer.js"></script>
  </body>
</html>
""")


def examples_json(examples: Sequence[Example]) -> str:
    """The tabs as JSON that cannot close its <script> element (no literal <, > or &)."""
    text = json.dumps([asdict(example) for example in examples])
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_html(assets: str, examples: Sequence[Example] = EXAMPLES) -> str:
    return PAGE.substitute(assets=html.escape(assets), examples=examples_json(examples))


def explorer_page(request: Request) -> HTMLResponse:
    """The page for this request; assets are found under the app's root path (a proxy's prefix)."""
    assets = f"{request.scope.get('root_path', '')}{ASSETS_PATH}"
    headers = {"content-security-policy": CONTENT_SECURITY_POLICY}
    return HTMLResponse(page_html(assets), headers=headers)


def asset_routes() -> list[BaseRoute]:
    """The vendored React/GraphiQL builds, their licences, and the page's own script; gzipped
    for clients that accept it (GraphiQL's 3.5 MB build travels as about 0.8 MB)."""
    assets = GZipMiddleware(StaticFiles(directory=STATIC), compresslevel=6)
    return [Mount(ASSETS_PATH, assets, name="explorer-assets")]
