"""Building test mail the way real senders do."""

import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def recruiting_mail(
    *,
    to: str,
    sender: str = "Hooli Recruiting <recruiting@hooli.example>",
    subject: str = "Interview invitation: Senior Platform Engineer",
    body: str = "Hi Sam,\n\nwe would like to invite you to an interview for the Senior Platform Engineer role. "
    "Could you share your availability for next week?\n\nBest, Maya",
    html: str | None = None,
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 3, 4, 16, 58, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="mail.example")
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes(policy=email.policy.SMTP)  # CRLF line ends, as on the wire
