"""Pages are shown on the reader's clock: the profile's time zone, else the browser's (which becomes the profile's
default, for emails and notifications); an unknown zone from a cookie or a profile edit changes nothing."""

import pytest

from jobpilot.core.time_zones import format_moment

pytestmark = pytest.mark.django_db


def test_the_browsers_zone_becomes_the_default_of_a_signed_in_person(public_client, make_user):
    person = make_user()
    public_client.force_login(person)
    public_client.cookies["tz"] = "Asia/Tokyo"

    public_client.get("/")

    person.refresh_from_db()
    assert person.time_zone == "Asia/Tokyo"


def test_a_chosen_zone_is_not_overwritten_by_the_browsers(public_client, make_user):
    person = make_user(time_zone="Europe/Berlin")
    public_client.force_login(person)
    public_client.cookies["tz"] = "Asia/Tokyo"

    public_client.get("/")

    assert public_client.get("/api/v1/auth/profile/").json()["time_zone"] == "Europe/Berlin"


def test_an_unknown_zone_is_ignored_from_a_cookie_and_refused_in_the_profile(public_client, make_user):
    person = make_user()
    public_client.force_login(person)
    public_client.cookies["tz"] = "Not/AZone"
    public_client.get("/")
    person.refresh_from_db()
    assert person.time_zone == ""
    refused = public_client.patch(
        "/api/v1/auth/profile/", {"time_zone": "Mars/Olympus_Mons"}, content_type="application/json"
    )
    chosen = public_client.patch(
        "/api/v1/auth/profile/", {"time_zone": "America/Chicago"}, content_type="application/json"
    )

    assert refused.status_code == 422
    assert chosen.json()["time_zone"] == "America/Chicago"


def test_a_moment_is_written_on_the_readers_clock():
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 9, 4, 45, tzinfo=UTC)
    assert format_moment(moment, "Europe/Berlin") == "Wed 9 Dec 2026, 05:45 CET"
    assert format_moment(moment, "America/Los_Angeles") == "Tue 8 Dec 2026, 20:45 PST"
    assert format_moment(moment, "") == "Wed 9 Dec 2026, 04:45 UTC"
