# syntax=docker/dockerfile:1
# Multi-stage build: dependencies are resolved from uv.lock in a builder; the runtime image is slim, runs as a
# non-root user, has static files collected at build time and serves HTTP + websockets with daphne.

FROM python:3.11-slim AS builder
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic needs settings, not services: a throwaway key and a DATABASE_URL that is never connected to.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/build \
    /opt/venv/bin/python manage.py collectstatic --noinput

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app:/app/src DJANGO_SETTINGS_MODULE=jobpilot.settings PORT=8000
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 curl fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system jobpilot && useradd --system --gid jobpilot --home /app jobpilot
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder --chown=jobpilot:jobpilot /app /app
WORKDIR /app
USER jobpilot
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health/" || exit 1
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["sh", "-c", "exec daphne -b 0.0.0.0 -p ${PORT} --proxy-headers jobpilot.asgi:application"]
