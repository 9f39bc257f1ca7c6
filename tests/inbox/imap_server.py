"""A small real IMAP4rev1 server on 127.0.0.1 for tests: the subset Python's imaplib client speaks when reading
a mailbox (CAPABILITY, LOGIN, SELECT/EXAMINE, UID SEARCH, UID FETCH of RFC822.SIZE, BODY.PEEK[] and BODY[],
LOGOUT), over real sockets. It keeps flags like a real server (BODY[] sets \\Seen; BODY.PEEK[] does not) and
logs every command, so a test can prove a client stayed read-only."""

import re
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\S+)')


@dataclass
class StoredMail:
    uid: int
    raw: bytes
    internal_date: datetime
    flags: set = field(default_factory=set)


class LocalImapServer:
    def __init__(self, *, username: str, password: str, mailbox: str = "INBOX", uid_validity: int = 1):
        self.username, self.password, self.mailbox = username, password, mailbox
        self.uid_validity = uid_validity
        self.mails: list[StoredMail] = []
        self.commands: list[str] = []  # "EXAMINE", "UID FETCH", ... in order
        self.fetched_uids: list[int] = []  # each UID whose body was sent
        self._next_uid = 1
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def add(self, raw: bytes, *, at: datetime | None = None) -> int:
        uid = self._next_uid
        self._next_uid += 1
        self.mails.append(StoredMail(uid=uid, raw=raw, internal_date=at or datetime.now(UTC)))
        return uid

    def renumber(self) -> None:
        """What a server does after rebuilding the mailbox: new UIDVALIDITY, new UIDs."""
        self.uid_validity += 1
        for mail in self.mails:
            mail.uid = self._next_uid
            self._next_uid += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join(2)
        self._socket.close()

    def _serve(self):
        while not self._stopped.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket):
        conn.settimeout(5)
        reader = conn.makefile("rb")
        send = conn.sendall
        selected = False
        try:
            send(b"* OK JobPilot test IMAP server ready\r\n")
            while True:
                line = reader.readline()
                if not line:
                    return
                tokens = [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKEN.finditer(line)]
                tokens = [re.sub(rb"\\(.)", rb"\1", t) for t in tokens]
                if len(tokens) < 2:
                    send(b"* BAD empty command\r\n")
                    continue
                tag, command, args = tokens[0], tokens[1].upper().decode(errors="replace"), tokens[2:]
                if command == "UID" and args:
                    command = f"UID {args[0].upper().decode(errors='replace')}"
                    args = args[1:]
                self.commands.append(command)
                if command == "CAPABILITY":
                    send(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK CAPABILITY completed\r\n")
                elif command == "LOGIN":
                    if (
                        len(args) == 2
                        and args[0].decode() == self.username
                        and args[1].decode() == self.password
                    ):
                        send(tag + b" OK LOGIN completed\r\n")
                    else:
                        send(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
                elif command in ("SELECT", "EXAMINE"):
                    if not args or args[0].decode() != self.mailbox:
                        send(tag + b" NO Mailbox does not exist\r\n")
                        continue
                    selected = True
                    mode = b"READ-ONLY" if command == "EXAMINE" else b"READ-WRITE"
                    send(
                        b"* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)\r\n"
                        + f"* {len(self.mails)} EXISTS\r\n".encode()
                        + f"* OK [UIDVALIDITY {self.uid_validity}] UIDs valid\r\n".encode()
                        + f"* OK [UIDNEXT {self._next_uid}] Predicted next UID\r\n".encode()
                        + tag
                        + b" OK ["
                        + mode
                        + b"] "
                        + command.encode()
                        + b" completed\r\n"
                    )
                elif command == "UID SEARCH" and selected:
                    send(b"* SEARCH " + " ".join(str(u) for u in self._search(args)).encode() + b"\r\n")
                    send(tag + b" OK SEARCH completed\r\n")
                elif command == "UID FETCH" and selected and len(args) >= 2:
                    self._fetch(send, args[0].decode(), b" ".join(args[1:]).decode().upper())
                    send(tag + b" OK FETCH completed\r\n")
                elif command == "LOGOUT":
                    send(b"* BYE logging out\r\n" + tag + b" OK LOGOUT completed\r\n")
                    return
                elif command == "NOOP":
                    send(tag + b" OK NOOP completed\r\n")
                else:  # STORE, EXPUNGE, COPY, MOVE...: logged, and refused (the client is expected to never ask)
                    send(tag + b" BAD " + command.encode() + b" is not supported here\r\n")
        except (OSError, TimeoutError):
            return
        finally:
            reader.close()
            conn.close()

    def _uid_set(self, spec: str) -> list[int]:
        highest = max((m.uid for m in self.mails), default=0)
        uids: set[int] = set()
        for part in spec.split(","):
            if ":" in part:
                low, high = part.split(":")
                low_n = highest if low == "*" else int(low)
                high_n = highest if high == "*" else int(high)
                low_n, high_n = min(low_n, high_n), max(low_n, high_n)
                uids.update(m.uid for m in self.mails if low_n <= m.uid <= high_n)
            else:
                uids.update(m.uid for m in self.mails if m.uid == (highest if part == "*" else int(part)))
        return sorted(uids)

    def _search(self, args: list[bytes]) -> list[int]:
        if not args or args[0].upper() == b"ALL":
            return [m.uid for m in self.mails]
        key = args[0].upper()
        if key == b"UID":
            return self._uid_set(args[1].decode())
        if key == b"SINCE":
            since = datetime.strptime(args[1].decode(), "%d-%b-%Y").date()
            return [m.uid for m in self.mails if m.internal_date.date() >= since]
        return []

    def _fetch(self, send, spec: str, items: str):
        by_uid = {m.uid: (index + 1, m) for index, m in enumerate(self.mails)}
        for uid in self._uid_set(spec):
            sequence, mail = by_uid[uid]
            if "RFC822.SIZE" in items:
                send(f"* {sequence} FETCH (UID {uid} RFC822.SIZE {len(mail.raw)})\r\n".encode())
            elif "BODY.PEEK[]" in items or "BODY[]" in items:
                if "BODY.PEEK[]" not in items:
                    mail.flags.add("\\Seen")
                self.fetched_uids.append(uid)
                send(
                    f"* {sequence} FETCH (UID {uid} BODY[] {{{len(mail.raw)}}}\r\n".encode()
                    + mail.raw
                    + b")\r\n"
                )
