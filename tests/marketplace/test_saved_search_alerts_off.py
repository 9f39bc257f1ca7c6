"""Saved-search alerts can be switched off: an "off" search is kept and searchable but never alerted, neither
when a matching job is listed nor by the digests; switched back on, its alerts start from then. Through the API:
`frequency` takes `off`, an unknown frequency is a 422, another seeker's search is a 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobpilot.marketplace.models import SavedSearch
from jobpilot.marketplace.services import saved_search_alert_digest, saved_search_update
from jobpilot.marketplace.tasks import send_saved_search_digests
from jobpilot.notifications.models import Notification
from jobpilot.notifications.types import NotificationType

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches/"


def _alerts(user):
    return list(Notification.objects.filter(recipient=user, type=NotificationType.SAVED_SEARCH_MATCH))


def _search(user, *, q, frequency, age=timedelta(days=10)):
    saved = SavedSearch.objects.create(user=user, name=q, q=q, frequency=frequency)
    SavedSearch.objects.filter(pk=saved.pk).update(created_at=timezone.now() - age)
    saved.refresh_from_db()
    return saved


def test_an_off_search_hears_nothing_when_a_matching_job_is_listed(
    tenant_a, make_user, make_posting, django_capture_on_commit_callbacks
):
    off, instant = make_user(), make_user()
    _search(off, q="zephyrquill", frequency=SavedSearch.Frequency.OFF)
    _search(instant, q="zephyrquill", frequency=SavedSearch.Frequency.INSTANT)
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(tenant_a, title="Zephyrquill Engineer")
    assert _alerts(off) == []
    assert len(_alerts(instant)) == 1  # the same job did alert a search that is on


def test_an_off_search_is_never_due_for_a_digest(tenant_a, make_user, make_posting):
    off, daily = make_user(), make_user()
    off_search = _search(off, q="lumenforge", frequency=SavedSearch.Frequency.OFF)
    _search(daily, q="lumenforge", frequency=SavedSearch.Frequency.DAILY)
    make_posting(tenant_a, title="Lumenforge Analyst")
    assert send_saved_search_digests() == 1  # the daily one only
    assert _alerts(off) == [] and len(_alerts(daily)) == 1
    off_search.refresh_from_db()
    assert off_search.last_alerted_at is None


def test_alerts_switched_back_on_start_from_then(tenant_a, make_user, make_posting):
    seeker = make_user()
    search = _search(seeker, q="orbitalyx", frequency=SavedSearch.Frequency.OFF, age=timedelta(days=30))
    make_posting(tenant_a, title="Orbitalyx Engineer")  # listed while the alerts were off
    saved_search_update(saved_search=search, changes={"frequency": SavedSearch.Frequency.DAILY})
    search.refresh_from_db()
    assert search.last_alerted_at is not None
    assert send_saved_search_digests() == 0  # not due before a day from now
    make_posting(tenant_a, title="Orbitalyx Analyst")  # listed once they are on
    assert saved_search_alert_digest(saved_search=search, now=timezone.now() + timedelta(days=1))
    [digest] = _alerts(seeker)
    assert [job["title"] for job in digest.data["jobs"]] == ["Orbitalyx Analyst"]


def test_changing_another_field_of_an_off_search_keeps_it_off(make_user, public_tenant):
    search = _search(make_user(), q="quietly", frequency=SavedSearch.Frequency.OFF)
    saved_search_update(saved_search=search, changes={"name": "Renamed"})
    search.refresh_from_db()
    assert (search.frequency, search.name, search.last_alerted_at) == ("off", "Renamed", None)


# --- API -----------------------------------------------------------------------------------------------------------


def test_a_seeker_saves_a_search_with_alerts_off_and_switches_them_on_and_off(
    public_tenant, make_user, signed_in
):
    client = signed_in(make_user())
    created = client.post(
        URL, {"name": "Nothing yet", "q": "xylophonist", "frequency": "off"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["frequency"] == "off"
    url = f"{URL}{created.json()['id']}/"
    assert client.patch(url, {"frequency": "weekly"}, content_type="application/json").json()[
        "frequency"
    ] == ("weekly")
    assert (
        client.patch(url, {"frequency": "off"}, content_type="application/json").json()["frequency"] == "off"
    )
    assert client.get(url).json()["frequency"] == "off"


@pytest.mark.parametrize("frequency", ["hourly", "OFF", "", None, 3])
def test_an_unknown_frequency_is_a_422_that_names_the_field(public_tenant, make_user, signed_in, frequency):
    seeker = make_user()
    client = signed_in(seeker)
    refused = client.post(URL, {"name": "x", "frequency": frequency}, content_type="application/json")
    assert refused.status_code == 422
    assert "frequency" in str(refused.json())
    saved = SavedSearch.objects.create(user=seeker, name="Mine")
    patched = client.patch(f"{URL}{saved.pk}/", {"frequency": frequency}, content_type="application/json")
    if frequency is None:  # PATCH: an explicit null changes nothing
        assert patched.status_code == 200
    else:
        assert patched.status_code == 422 and "frequency" in str(patched.json())
    saved.refresh_from_db()
    assert saved.frequency == "daily"


def test_another_seekers_search_cannot_be_switched_off(public_tenant, make_user, signed_in):
    saved = SavedSearch.objects.create(user=make_user(), name="Theirs", frequency="instant")
    response = signed_in(make_user()).patch(
        f"{URL}{saved.pk}/", {"frequency": "off"}, content_type="application/json"
    )
    assert response.status_code == 404
    saved.refresh_from_db()
    assert saved.frequency == "instant"


def test_switching_alerts_needs_a_signed_in_seeker(public_client, make_user):
    saved = SavedSearch.objects.create(user=make_user(), name="Theirs", frequency="instant")
    response = public_client.patch(f"{URL}{saved.pk}/", {"frequency": "off"}, content_type="application/json")
    assert response.status_code == 401
    saved.refresh_from_db()
    assert saved.frequency == "instant"
