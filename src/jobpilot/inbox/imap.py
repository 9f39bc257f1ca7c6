"""Reading a seeker's mailbox over IMAP, read only: the mailbox is opened with EXAMINE and messages are fetched
with BODY.PEEK[], so no flag changes (not even \\Seen) and nothing is ever stored, moved or deleted.

WARNING: SSRF. The seeker names the host and the platform connects from inside its network. The host must
resolve to public addresses only (the webhooks' check, `webhooks.addresses.resolve_allowed_address`, and its
`WEBHOOKS_ALLOWED_PRIVATE_NETWORKS` test-only escape), and the connection goes to the address that was checked.
"""

import imaplib
import re
import socket
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jobpilot.core.errors import Invalid
from jobpilot.webhooks.addresses import AddressNotAllowed, resolve_allowed_address

FETCH_LIMIT = 100  # messages read per poll; the rest wait for the next one
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapProblem(Invalid):
    """The server could not be used: 422 with a code saying which step failed."""


class _Pinned(imaplib.IMAP4):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout):
        return socket.create_connection((self._address, self.port), timeout)


class _PinnedSsl(imaplib.IMAP4_SSL):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self._address = address
        super().__init__(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)

    def _create_socket(self, timeout):
        sock = socket.create_connection((self._address, self.port), timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect(*, host: str, port: int, security: str) -> imaplib.IMAP4:
    if security == "plain" and not settings.INBOX_IMAP_ALLOW_PLAIN:
        raise ImapProblem(
            "Connect with TLS or STARTTLS: the app password would cross the network in clear text.",
            code="imap_tls_required",
            field="security",
        )
    try:
        address = resolve_allowed_address(host, port)
    except AddressNotAllowed as error:
        raise ImapProblem(str(error), code="imap_host_not_allowed", field="host") from error
    timeout = settings.INBOX_IMAP_TIMEOUT_SECONDS
    try:
        if security == "ssl":
            return _PinnedSsl(host, port, address=address, timeout=timeout)
        client = _Pinned(host, port, address=address, timeout=timeout)
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        return client
    except ssl.SSLError as error:
        raise ImapProblem(
            f"The TLS handshake with {host} failed ({error.reason or 'certificate'}).", code="imap_tls_failed"
        ) from error
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapProblem(
            f"{host}:{port} did not answer as an IMAP server ({type(error).__name__}).",
            code="imap_unreachable",
        ) from error


@contextmanager
def _session(*, host: str, port: int, security: str, username: str, password: str, mailbox: str):
    """A logged-in client with `mailbox` EXAMINEd (read-only); yields (client, uidvalidity)."""
    client = _connect(host=host, port=port, security=security)
    try:
        try:
            client.login(username, password)
        except imaplib.IMAP4.error as error:
            raise ImapProblem(
                "The server refused the user name or app password.",
                code="imap_login_failed",
                field="password",
            ) from error
        status, _ = client.select(_quoted(mailbox), readonly=True)  # EXAMINE
        if status != "OK":
            raise ImapProblem(
                f"The server has no mailbox {mailbox!r}.", code="imap_mailbox_missing", field="mailbox"
            )
        _, validity = client.response("UIDVALIDITY")
        uid_validity = int(validity[0]) if validity and validity[0] else 0
        yield client, uid_validity
    except (OSError, imaplib.IMAP4.abort, imaplib.IMAP4.error) as error:
        raise ImapProblem(
            f"The IMAP session with {host} failed: {error}", code="imap_session_failed"
        ) from error
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def check(*, host: str, port: int, security: str, username: str, password: str, mailbox: str) -> None:
    """Connect, log in and examine the mailbox, or raise ImapProblem saying which step failed."""
    with _session(
        host=host, port=port, security=security, username=username, password=password, mailbox=mailbox
    ):
        pass


@dataclass
class Fetched:
    uid_validity: int
    last_uid: int
    messages: list[tuple[int, bytes]] = field(default_factory=list)
    skipped_oversize: int = 0


def _uids(data) -> list[int]:
    return sorted({int(uid) for chunk in data if chunk for uid in chunk.split()})


def fetch_new(
    *, host, port, security, username, password, mailbox, uid_validity: int | None, last_uid: int
) -> Fetched:
    """The messages after `last_uid` (UID SEARCH UID n:*), oldest first, at most FETCH_LIMIT. A first read, or a
    read after the server changed UIDVALIDITY, takes the last INBOX_IMAP_BACKFILL_DAYS days instead (newest
    FETCH_LIMIT). Messages over INBOX_MAX_MESSAGE_BYTES are skipped (counted, never downloaded)."""
    with _session(
        host=host, port=port, security=security, username=username, password=password, mailbox=mailbox
    ) as (client, server_validity):
        fresh = uid_validity is None or uid_validity != server_validity
        if fresh:
            since = (timezone.now() - timedelta(days=settings.INBOX_IMAP_BACKFILL_DAYS)).strftime("%d-%b-%Y")
            _, data = client.uid("SEARCH", "SINCE", since)
            uids = _uids(data)[-FETCH_LIMIT:]
            floor = 0
        else:
            _, data = client.uid("SEARCH", "UID", f"{last_uid + 1}:*")
            floor = last_uid
            uids = [uid for uid in _uids(data) if uid > last_uid][
                :FETCH_LIMIT
            ]  # "n:*" always has the last one
        result = Fetched(uid_validity=server_validity, last_uid=max([floor, *uids]))
        if not uids:
            return result
        _, sizes = client.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
        size_of = {}
        for line in sizes:
            line = line[0] if isinstance(line, tuple) else line
            uid, size = _UID.search(line or b""), _SIZE.search(line or b"")
            if uid and size:
                size_of[int(uid.group(1))] = int(size.group(1))
        for uid in uids:
            if size_of.get(uid, 0) > settings.INBOX_MAX_MESSAGE_BYTES:
                result.skipped_oversize += 1
                continue
            _, parts = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple) and len(part) > 1), None)
            if raw:
                result.messages.append((uid, raw))
        return result
