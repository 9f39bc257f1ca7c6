#!/bin/sh
# Container entrypoint: wait for PostgreSQL, migrate (web only: RUN_MIGRATIONS=1), then run the given command.
set -eu

python - <<'PY'
import os, sys, time
import psycopg

url = os.environ["DATABASE_URL"]
deadline = time.monotonic() + float(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        psycopg.connect(url, connect_timeout=3).close()
        break
    except psycopg.OperationalError as error:
        if time.monotonic() > deadline:
            sys.exit(f"database not reachable: {error}")
        time.sleep(1)
PY

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python /app/manage.py migrate_schemas --noinput
fi

exec "$@"
