"""A local HTTP server that plays public job boards: routes answer fixture files (or any body) with the status,
headers and delay a test sets, in order, and every request is recorded. Nothing reaches the internet."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow or hanging server)
    truncate: bool = False  # promise the whole body, send half, close (a broken connection)


class FeedServer:
    def __init__(self):
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.url = ""

    def route(self, path: str, *answers: Answer | str | bytes | dict | list, **defaults) -> str:
        """Answer `path` with `answers` in turn (the last one repeats). A str ending in .json/.xml/.html is a
        fixture file; dicts and lists are sent as JSON. Returns the route's URL."""
        made = []
        for answer in answers:
            if not isinstance(answer, Answer):
                if isinstance(answer, str) and (FIXTURES / answer).exists():
                    answer = (FIXTURES / answer).read_bytes()
                elif isinstance(answer, dict | list):
                    answer = json.dumps(answer).encode()
                elif isinstance(answer, str):
                    answer = answer.encode()
                answer = Answer(body=answer, **defaults)
            made.append(answer)
        with self.lock:
            self.routes[path] = made
        return self.url + path

    def requests_to(self, path: str) -> list[dict]:
        return [request for request in self.requests if request["path"] == path]

    def _next(self, path: str) -> Answer | None:
        with self.lock:
            answers = self.routes.get(path)
            if not answers:
                return None
            return answers.pop(0) if len(answers) > 1 else answers[0]


def _handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            with server.lock:
                server.requests.append(
                    {
                        "path": parts.path,
                        "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                        "headers": dict(self.headers),
                    }
                )
            answer = server._next(parts.path)
            if answer is None:
                answer = Answer(body=b'{"error": "not found"}', status=404)
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body[: len(answer.body) // 2] if answer.truncate else answer.body)
                if answer.truncate:
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def feed_server():
    server = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    """Real backoff in seconds would make the retry tests slow; the logic is the same at a smaller scale."""
    settings.INGEST_BACKOFF_BASE_SECONDS = 0.01
    settings.INGEST_BACKOFF_MAX_SECONDS = 0.5
    settings.INGEST_HOST_MIN_INTERVAL_SECONDS = 0.0
    settings.INGEST_FETCH_TIMEOUT_SECONDS = 0.5
    settings.INGEST_FETCH_ATTEMPTS = 3


@pytest.fixture
def make_source(db):
    from jobpilot.ingest.services import source_create

    def make(kind: str, url: str, **fields):
        return source_create(kind=kind, url=url, name=fields.pop("name", f"{kind} {url}"[:100]), **fields)

    return make
