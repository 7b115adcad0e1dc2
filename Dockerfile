# syntax=docker/dockerfile:1
# tradergraph: the GraphQL service, as one uvicorn process per container (docs/operations.md).
#
#   docker build -t tradergraph .
#   docker run -p 8000:8000 -e TRADERGRAPH_UPSTREAM_URL=https://... \
#              -e TRADERGRAPH_MANAGER_LOGIN=... -e TRADERGRAPH_MANAGER_PASSWORD=... tradergraph
#
# Stage 1 builds a virtual environment from uv.lock (runtime dependencies only, and the project's
# metadata-only wheel, which brings the `tradergraph` command and no code) and compiles the
# application's code in /opt/tradergraph; stage 2 copies just those two onto a clean slim image,
# puts the code on PYTHONPATH (nothing of it lands in site-packages, docs/operations.md) and runs
# it as an unprivileged user. tests/test_dockerfile.py in tests/observability checks the essentials.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# Same uv as the Makefile (UV_VERSION), so the lock is read the same way everywhere.
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /opt/tradergraph
# Dependencies first: this layer is rebuilt only when the lock changes, not on every code edit.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3.11
# The application's code (.dockerignore leaves out tests, benchmarks and docs), compiled once here,
# since the unprivileged runtime user cannot write __pycache__ next to it.
COPY . .
RUN /opt/venv/bin/python -m compileall -q /opt/tradergraph
RUN uv sync --frozen --no-dev --no-editable --python /usr/local/bin/python3.11

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 tradergraph \
    && useradd --system --uid 10001 --gid tradergraph --no-create-home \
       --home-dir /var/lib/tradergraph --shell /usr/sbin/nologin tradergraph \
    && install -d -o tradergraph -g tradergraph -m 0750 /var/lib/tradergraph
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/tradergraph /opt/tradergraph
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/opt/tradergraph \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TRADERGRAPH_DATABASE_URL=sqlite+aiosqlite:////var/lib/tradergraph/tradergraph.db \
    TRADERGRAPH_LOG_FORMAT=json
WORKDIR /var/lib/tradergraph
VOLUME ["/var/lib/tradergraph"]
USER 10001:10001
EXPOSE 8000

# Liveness only: /healthz answers while the process serves. Readiness (/readyz: upstream,
# database, Redis) is for the load balancer, not for restarting the container.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# uvicorn finishes in-flight requests on SIGTERM (up to --timeout-graceful-shutdown), then runs
# the lifespan's shutdown (upstream pool and database closed); give the orchestrator's stop
# timeout a few seconds more than that (docker stop -t 30, terminationGracePeriodSeconds: 30).
STOPSIGNAL SIGTERM
# Exec form: uvicorn is PID 1 and receives the signal itself. One worker per container: the
# trader index, the pollers and the /metrics registry are per process, so scale with replicas.
CMD ["uvicorn", "--factory", "server:app_from_environment", \
     "--host", "0.0.0.0", "--port", "8000", \
     "--workers", "1", \
     "--lifespan", "on", \
     "--ws", "wsproto", \
     "--timeout-graceful-shutdown", "25", \
     "--timeout-keep-alive", "5", \
     "--no-access-log", \
     "--no-proxy-headers", \
     "--no-server-header", \
     "--log-level", "info"]
