"""GET/PATCH /api/v1/auth/profile/: the account's names and the seeker profile (under `seeker`)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from jobpilot.seekers.models import SeekerProfile
from tests.conftest import TEST_PASSWORD, access_token_for

pytestmark = pytest.mark.django_db

FULL_SEEKER_PROFILE = {
    "headline": "Backend engineer, Django and PostgreSQL",
    "location": "Lisbon, Portugal",
    "bio": "Ten years of building web products.",
    "phone": "+351 912 345 678",
    "links": [{"label": "GitHub", "url": "https://github.com/sam"}],
    "desired_job_types": ["full_time", "contract"],
    "desired_locations": ["Lisbon", "Berlin"],
    "work_arrangements": ["remote", "hybrid"],
    "salary_expectation": 85000,
    "salary_currency": "EUR",
    "salary_period": "year",
    "experience_years": 10,
    "education_level": "master",
    "skills": [{"name": "Python", "level": "expert"}, {"name": "PostgreSQL", "level": "advanced"}],
    "notify_application_updates": True,
    "notify_interview_reminders": False,
    "notify_job_recommendations": False,
    "notify_product_news": True,
    "profile_visibility": "all_employers",
    "share_contact_details": False,
}


def patch(client, payload):
    return client.patch("/api/v1/auth/profile/", payload, content_type="application/json")


def test_a_new_user_sees_a_default_seeker_profile_without_one_being_written(api_client_for, seeker):
    body = api_client_for(seeker).get("/api/v1/auth/profile/").json()

    assert body["email"] == seeker.email
    assert body["seeker"]["headline"] == ""
    assert body["seeker"]["skills"] == []
    assert body["seeker"]["profile_visibility"] == "employers_applied"
    assert not SeekerProfile.objects.filter(user=seeker).exists()


def test_patch_sets_every_seeker_field_and_the_names(api_client_for, seeker):
    response = patch(api_client_for(seeker), {"first_name": "Samantha", "seeker": FULL_SEEKER_PROFILE})

    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Samantha"
    assert body["display_name"] == "Samantha Seeker"
    assert body["seeker"] == FULL_SEEKER_PROFILE
    assert api_client_for(seeker).get("/api/v1/auth/profile/").json()["seeker"] == FULL_SEEKER_PROFILE


def test_patch_changes_only_the_fields_sent(api_client_for, seeker):
    client = api_client_for(seeker)
    patch(client, {"seeker": FULL_SEEKER_PROFILE})

    body = patch(client, {"seeker": {"headline": "Staff engineer"}}).json()

    assert body["seeker"]["headline"] == "Staff engineer"
    assert body["seeker"]["skills"] == FULL_SEEKER_PROFILE["skills"]
    assert body["last_name"] == "Seeker"


def test_skills_are_replaced_as_a_list_and_nullable_fields_can_be_cleared(api_client_for, seeker):
    client = api_client_for(seeker)
    patch(client, {"seeker": FULL_SEEKER_PROFILE})

    body = patch(
        client,
        {"seeker": {"skills": [{"name": "Go"}], "salary_expectation": None, "education_level": None}},
    ).json()

    assert body["seeker"]["skills"] == [{"name": "Go", "level": "intermediate"}]
    assert body["seeker"]["salary_expectation"] is None
    assert body["seeker"]["education_level"] is None


def test_job_types_are_read_as_people_write_them_as_search_reads_them(api_client_for, seeker):
    # Search takes `job_type=full-time`; the profile that feeds matching and alerts takes the same spellings.
    body = patch(
        api_client_for(seeker), {"seeker": {"desired_job_types": ["full-time", "Part time", "contract"]}}
    ).json()

    assert body["seeker"]["desired_job_types"] == ["full_time", "part_time", "contract"]


def test_the_profile_is_the_same_on_an_employer_domain(api_client_for, seeker, tenant_a):
    patch(api_client_for(seeker), {"seeker": {"headline": "Everywhere"}})

    assert (
        api_client_for(seeker, tenant_a).get("/api/v1/auth/profile/").json()["seeker"]["headline"]
        == "Everywhere"
    )


def test_a_seeker_never_sees_or_changes_another_seekers_profile(api_client_for, seeker, make_user):
    other = make_user()
    patch(api_client_for(other), {"seeker": {"headline": "Other's headline"}})

    patch(api_client_for(seeker), {"seeker": {"headline": "Mine"}})

    assert api_client_for(seeker).get("/api/v1/auth/profile/").json()["seeker"]["headline"] == "Mine"
    assert SeekerProfile.objects.get(user=other).headline == "Other's headline"


def test_the_web_session_reads_the_profile_too(seeker):
    web = Client(HTTP_HOST="localhost")
    assert web.login(email=seeker.email, password=TEST_PASSWORD)

    assert web.get("/api/v1/auth/profile/").json()["email"] == seeker.email


def test_the_profile_needs_authentication(public_client):
    assert public_client.get("/api/v1/auth/profile/").status_code == 401
    assert patch(public_client, {"first_name": "X"}).status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"seeker": {"headline": "x" * 201}},
        {"seeker": {"headline": None}},
        {"seeker": {"phone": "call me maybe"}},
        {"seeker": {"links": [{"label": "Site", "url": "javascript:alert(1)"}]}},
        {"seeker": {"links": [{"label": "Site", "url": "https://example.com"}] * 11}},
        {"seeker": {"desired_job_types": ["astronaut"]}},
        {"seeker": {"work_arrangements": ["moon"]}},
        {"seeker": {"salary_expectation": -1}},
        {"seeker": {"salary_currency": "euro"}},
        {"seeker": {"experience_years": 71}},
        {"seeker": {"education_level": "phd-ish"}},
        {"seeker": {"skills": [{"name": "Python"}, {"name": "python"}]}},
        {"seeker": {"skills": [{"name": "   "}]}},
        {"seeker": {"skills": [{"name": "Python", "level": "godlike"}]}},
        {"seeker": {"profile_visibility": "everyone"}},
        {"seeker": {"notify_product_news": "perhaps"}},
        {"first_name": "x" * 151},
        {"seeker": "not an object"},
    ],
)
def test_bad_profile_payloads_are_422_and_change_nothing(api_client_for, seeker, payload):
    response = patch(api_client_for(seeker), payload)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert not SeekerProfile.objects.filter(user=seeker).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_create_one_profile(make_user, public_tenant):
    user = make_user()
    token = access_token_for(user)
    statuses = []

    def write(headline):
        try:
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            statuses.append(patch(client, {"seeker": {"headline": headline}}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"headline {n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 8
    assert SeekerProfile.objects.filter(user=user).count() == 1
