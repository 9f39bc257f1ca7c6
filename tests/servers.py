"""Helpers for the real servers tests start as child processes (daphne, redis-server, HTTP fixtures)."""

import socket
import time
from urllib.parse import quote, urlencode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def database_url(settings_dict: dict) -> str:
    """A `DATABASE_URL` that reaches the same database as `settings_dict` from a child process.

    The embedded server listens on a unix socket whose directory is the HOST: a path cannot sit in a URL's host
    part, so it goes in `?host=` (libpq's own spelling, which django-environ passes through as an option)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    name = quote(settings_dict["NAME"], safe="")
    if host.startswith("/"):
        return f"postgres://{credentials}/{name}?{urlencode({'host': host})}"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{name}"
