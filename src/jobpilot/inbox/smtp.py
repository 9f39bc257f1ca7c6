"""The inbound SMTP receiver for forwarding addresses (aiosmtpd). Run by `manage.py inbox_smtpd`; the MX of
INBOX_DOMAIN points at it.

It accepts a recipient only when it is a live forwarding address of a seeker whose plan includes the feature
(550 5.1.1 otherwise, at RCPT time, so the sending server bounces it to the forwarder), at most
MAX_RECIPIENTS per message, and a message of at most INBOX_MAX_MESSAGE_BYTES (aiosmtpd advertises SIZE and
answers 552 past it). A stored message answers 250; a failure of ours 451 (the sender retries).
"""

import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 10


def _recipient(address: str) -> int | None:
    from jobpilot.inbox.selectors import recipient_seeker_id

    close_old_connections()
    return recipient_seeker_id(address)


def _deliver(seeker_ids: list[int], raw: bytes) -> None:
    from jobpilot.inbox.services import forwarded_message_deliver

    close_old_connections()
    for seeker_id in seeker_ids:
        forwarded_message_deliver(seeker_id=seeker_id, raw=raw)


class InboxHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        try:
            seeker_id = await sync_to_async(_recipient, thread_sensitive=True)(address)
        except Exception:
            logger.exception("Looking up an inbound recipient failed")
            return "451 4.3.0 Temporary failure, try again later"
        if seeker_id is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.seeker_ids = [*getattr(envelope, "seeker_ids", []), seeker_id]
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        seeker_ids = list(dict.fromkeys(getattr(envelope, "seeker_ids", [])))
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="replace")
        try:
            await sync_to_async(_deliver, thread_sensitive=True)(seeker_ids, raw)
        except Exception:
            logger.exception("Storing an inbound message failed")
            return "451 4.3.0 Temporary failure, try again later"
        return "250 2.0.0 Message accepted"


class InboxController(Controller):
    def factory(self):
        return SMTP(
            self.handler,
            hostname=settings.INBOX_DOMAIN,
            data_size_limit=settings.INBOX_MAX_MESSAGE_BYTES,
            decode_data=False,
            ident="JobPilot inbox",
        )


def inbox_smtp_controller(*, host: str, port: int) -> InboxController:
    """A receiver on (host, port); `.start()` serves it in a thread, `.stop()` ends it."""
    return InboxController(InboxHandler(), hostname=host, port=port)
