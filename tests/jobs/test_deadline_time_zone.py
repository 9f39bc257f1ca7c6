# ruff: noqa: F811 - pytest fixtures imported from the jobs test package
"""An application deadline is a whole day where the employer is: it ends at that midnight, in the expiry sweep, the
listing, the JSON-LD and the apply check alike; the page shows the day the employer chose."""

import json
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from jobpilot.jobs.selectors import job_postings_due_to_close
from jobpilot.marketplace.models import MarketplaceJob
from tests.jobs.conftest import make_posting  # noqa: F401

pytestmark = pytest.mark.django_db
DEADLINE = (timezone.now() + timedelta(days=20)).date()  # inside the default listing period


def midnight_after(day, zone: str) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def set_zone(tenant, name: str) -> None:
    with tenant_context(tenant):
        services.company_profile_update(actor=None, data={"name": tenant.name, "time_zone": name})


def test_the_deadline_day_ends_at_midnight_in_the_employers_time_zone(tenant_a, make_posting, client_for):
    set_zone(tenant_a, "America/New_York")
    posting = make_posting(tenant_a, application_deadline=DEADLINE)
    listing = MarketplaceJob.objects.get(public_id=posting.public_id)
    page = client_for(tenant_a).get(f"/jobs/{posting.public_id}/").content.decode()
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))

    ends = midnight_after(DEADLINE, "America/New_York")
    assert posting.closes_at == ends and ends.hour in (4, 5)  # midnight in New York is 04:00/05:00 UTC
    assert listing.expires_at == ends
    assert "Apply by" in page and DEADLINE.strftime("%-d %b %Y") in page
    assert (DEADLINE + timedelta(days=1)).strftime("%-d %b %Y") not in page
    assert jsonld["validThrough"] == ends.isoformat()
    with tenant_context(tenant_a):
        open_still = job_postings_due_to_close(now=ends - timedelta(minutes=1))
        closed = job_postings_due_to_close(now=ends)
        assert posting.pk not in set(open_still.values_list("pk", flat=True))
        assert posting.pk in set(closed.values_list("pk", flat=True))


def test_moving_the_employer_to_another_time_zone_moves_its_open_deadlines(tenant_a, make_posting):
    posting = make_posting(tenant_a, application_deadline=DEADLINE)
    assert posting.closes_at == midnight_after(DEADLINE, "UTC")  # UTC until the employer chooses

    set_zone(tenant_a, "Asia/Tokyo")

    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=posting.pk).closes_at == midnight_after(DEADLINE, "Asia/Tokyo")
    assert MarketplaceJob.objects.get(public_id=posting.public_id).expires_at == midnight_after(
        DEADLINE, "Asia/Tokyo"
    )


def test_an_unknown_time_zone_is_refused(client_for, tenant_a):
    client = client_for(tenant_a)
    client.force_login(tenant_a.memberships.get(role="owner").user)
    response = client.put(
        "/api/v1/employer/company/",
        {"name": "Acme", "time_zone": "Mars/Olympus_Mons"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Unknown time zone" in json.dumps(response.json())
