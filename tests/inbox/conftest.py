import socket
import uuid

import pytest

from jobpilot.inbox.selectors import forwarding_email
from jobpilot.inbox.services import forwarding_address_enable
from jobpilot.inbox.smtp import inbox_smtp_controller


@pytest.fixture
def pro_seeker(make_user, on_plan):
    """A seeker on Pro, whose plan includes email ingestion."""
    user = make_user(first_name="Sam", last_name="Seeker")
    on_plan(user, "seeker_pro")
    return user


@pytest.fixture
def make_pro_seeker(make_user, on_plan):
    def make():
        user = make_user(email=f"seeker-{uuid.uuid4().hex[:8]}@example.com")
        on_plan(user, "seeker_pro")
        return user

    return make


@pytest.fixture
def forwarding_to(db):
    """`forwarding_to(seeker)`: the seeker's live forwarding address (made through the service)."""

    def make(seeker) -> str:
        return forwarding_email(forwarding_address_enable(seeker=seeker))

    return make


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_receiver():
    """The inbox's aiosmtpd receiver on a free loopback port, as `inbox_smtpd` runs it: (host, port)."""
    port = _free_port()
    controller = inbox_smtp_controller(host="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port
    controller.stop()
