"""The ASGI app: routes (/graphql, /healthz, /readyz), middleware and lifespan."""
