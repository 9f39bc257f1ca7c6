"""The labelled sets of recruiting mail (labelled_messages.json: 94 messages in English, German, French and
Spanish, the set the phrase lists are tuned on; heldout_messages.json: 24 more, never tuned on), from employers' own addresses and from ATS senders: Greenhouse, Lever, Workday, Personio,
SmartRecruiters, Ashby, iCIMS, Teamtailor, Workable, join.com, HackerRank, Codility...), turned into real MIME
messages and run through the same parse and classify steps as a forwarded mail. Shared by the test and
`bench/inbox_classifier.py`."""

import json
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from jobpilot.inbox.classifier import classify
from jobpilot.inbox.models import Category
from jobpilot.inbox.parsing import parse_message

LABELLED = Path(__file__).with_name("labelled_messages.json")
# Written after the phrase lists were last tuned, and never tuned on: the figure to believe.
HELD_OUT = Path(__file__).with_name("heldout_messages.json")


def labelled_messages(path: Path = LABELLED) -> list[dict]:
    return json.loads(path.read_text())


def as_raw_email(entry: dict, *, to: str = "seeker@example.com") -> bytes:
    message = EmailMessage()
    message["From"] = entry["from"]
    message["To"] = to
    message["Subject"] = entry["subject"]
    message["Date"] = format_datetime(datetime(2026, 3, 4, 16, 58, tzinfo=UTC))
    message["Message-ID"] = f"<labelled-{entry['id']}@mail.example>"
    if entry.get("html"):
        message.set_content("This message needs an HTML mail reader.")
        message.add_alternative(entry["body"], subtype="html")
        # Like many ATS mails: the HTML part is the real one; the plain part is a stub. Keep only HTML.
        message = _html_only(entry, message)
    else:
        message.set_content(entry["body"])
    return message.as_bytes()


def _html_only(entry: dict, template: EmailMessage) -> EmailMessage:
    message = EmailMessage()
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        message[header] = template[header]
    message.set_content(entry["body"], subtype="html")
    return message


def evaluate(path: Path = LABELLED) -> dict:
    """Per-class precision/recall over the labelled set: {"classes": {label: {...}}, "confusion": Counter}."""
    confusion: Counter = Counter()
    for entry in labelled_messages(path):
        parsed = parse_message(as_raw_email(entry))
        predicted = classify(subject=parsed.subject, text=parsed.text).category
        confusion[(entry["label"], str(predicted))] += 1
    classes = {}
    for label in Category.values:
        true_positive = confusion[(label, label)]
        predicted = sum(n for (_, p), n in confusion.items() if p == label)
        actual = sum(n for (a, _), n in confusion.items() if a == label)
        classes[label] = {
            "support": actual,
            "precision": true_positive / predicted if predicted else 1.0,
            "recall": true_positive / actual if actual else 1.0,
        }
    total = sum(confusion.values())
    accuracy = sum(n for (a, p), n in confusion.items() if a == p) / total
    return {"classes": classes, "confusion": confusion, "accuracy": accuracy, "total": total}
