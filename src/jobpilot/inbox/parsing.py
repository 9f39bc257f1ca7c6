"""One raw RFC 5322 message to what the inbox keeps: sender, subject, date, Message-ID and a plain-text body
(HTML parts turned into text). Malformed mail never raises: what cannot be read is left empty."""

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
from lxml import etree

MAX_BODY_CHARS = 50_000
_WHITESPACE_RUNS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


@dataclass(frozen=True)
class ParsedMessage:
    sender: str  # "Name <address>" as sent, trimmed
    sender_address: str
    sender_domain: str
    subject: str
    sent_at: datetime | None
    message_id: str
    text: str


def html_to_text(markup: str) -> str:
    """The readable text of an HTML body: scripts and styles dropped, block elements on their own lines."""
    try:
        root = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script|//style|//head"):
        element.drop_tree()
    for element in root.xpath("//br|//p|//div|//li|//tr|//h1|//h2|//h3|//h4|//table"):
        element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (_WHITESPACE_RUNS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _safe_header(message, name: str) -> str:
    try:
        value = message.get(name)
        return str(value or "").strip()
    except Exception:  # noqa: BLE001 - a header the policy cannot decode is one we do without
        return ""


def _part_text(part) -> str:
    try:
        return part.get_content()
    except Exception:  # noqa: BLE001 - unknown charset, broken transfer encoding: fall back to the raw bytes
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _body(message) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        part = None
    if part is None:
        return ""
    content = _part_text(part)
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return _tidy(content)


def _date(message) -> datetime | None:
    raw = _safe_header(message, "Date")
    if not raw:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_message(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = _safe_header(message, "From")
    _name, address = email.utils.parseaddr(sender)
    address = address.strip().lower()
    domain = address.rsplit("@", 1)[1] if "@" in address else ""
    return ParsedMessage(
        sender=sender[:300],
        sender_address=address[:254],
        sender_domain=domain[:253],
        subject=" ".join(_safe_header(message, "Subject").split())[:500],
        sent_at=_date(message),
        message_id=_safe_header(message, "Message-ID")[:300],
        text=_body(message)[:MAX_BODY_CHARS],
    )
