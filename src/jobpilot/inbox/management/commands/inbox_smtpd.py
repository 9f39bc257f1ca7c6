"""`manage.py inbox_smtpd [--host 0.0.0.0] [--port 2525]`: the inbound SMTP receiver of forwarding addresses."""

import signal
import threading

from django.core.management.base import BaseCommand

from jobpilot.inbox.smtp import inbox_smtp_controller


class Command(BaseCommand):
    help = "Receive mail for seekers' forwarding addresses (SMTP)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - an MX listens on every interface
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args, host, port, **options):
        controller = inbox_smtp_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Inbox SMTP receiver on {host}:{port}")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        controller.stop()
