"""`/api/v1/employer/ats/`: admins and owners of the host's employer only, connecting and syncing on plans with ATS
sync, clear 4xx for bad input, and one employer never sees or syncs another's connection."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.atsync.models import AtsConnection
from jobpilot.jobs.models import JobPosting
from tenants.models import Membership
from tests.atsync.conftest import serve_greenhouse
from tests.conftest import host_of, lift_posting_limit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/employer/ats/"
Role = Membership.Role


@pytest.fixture
def admin_api(api_client_for, member, ats_plan):
    def make(tenant, role=Role.ADMIN):
        return api_client_for(member(tenant, role), tenant)

    return make


def _post(client, path, body=None):
    return client.post(path, body if body is not None else {}, content_type="application/json")


def test_an_admin_connects_a_board_its_first_sync_runs_and_its_postings_are_read_only_in_the_api(
    admin_api, tenant_a, boards, django_capture_on_commit_callbacks
):
    lift_posting_limit(tenant_a)
    serve_greenhouse(boards)
    client = admin_api(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, BASE, {"kind": "greenhouse", "board": "https://boards.greenhouse.io/vaultline"}
        )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["board"] == "vaultline"
    assert created["board_url"] == f"{boards.url}/v1/boards/vaultline"
    detail = client.get(f"{BASE}{created['id']}/").json()
    assert detail["last_status"] == "success" and detail["postings"]["published"] == 3
    assert [c["id"] for c in client.get(BASE).json()] == [created["id"]]

    jobs = client.get("/api/v1/employer/jobs/", {"status": "published"}).json()["results"]
    synced = [job for job in jobs if job["ats_connection_id"] == created["id"]]
    assert len(synced) == 3 and {job["source"] for job in synced} == {"greenhouse"}
    job = synced[0]
    refused = client.patch(
        f"/api/v1/employer/jobs/{job['id']}/", {"title": "Hand-typed"}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "ats_owned_field"
    allowed = client.patch(
        f"/api/v1/employer/jobs/{job['id']}/", {"benefits": "<p>Lunch</p>"}, content_type="application/json"
    )
    assert allowed.status_code == 200 and allowed.json()["benefits"] == "<p>Lunch</p>"

    with django_capture_on_commit_callbacks(execute=True):
        synced_again = _post(client, f"{BASE}{created['id']}/sync/")
    assert synced_again.status_code == 202
    assert client.get(f"{BASE}{created['id']}/").json()["last_counts"]["unchanged"] == 3

    paused = client.patch(f"{BASE}{created['id']}/", {"enabled": False}, content_type="application/json")
    assert paused.status_code == 200 and paused.json()["enabled"] is False
    assert _post(client, f"{BASE}{created['id']}/sync/").json()["code"] == "ats_sync_disabled"

    gone = client.delete(f"{BASE}{created['id']}/")
    assert gone.status_code == 204
    with tenant_context(tenant_a):
        left = JobPosting.objects.filter(external_id=job["external_id"], source="greenhouse").get()
    assert left.ats_connection_id is None and left.status == JobPosting.Status.CLOSED
    assert client.get(f"{BASE}{created['id']}/").status_code == 404


def test_another_employers_connection_is_not_found_and_cannot_be_synced(
    admin_api, connect, tenant_a, tenant_b
):
    theirs = connect(tenant_a, "lever", "acme-only")
    client_b = admin_api(tenant_b)
    assert client_b.get(BASE).json() == []
    for response in (
        client_b.get(f"{BASE}{theirs.pk}/"),
        _post(client_b, f"{BASE}{theirs.pk}/sync/"),
        client_b.patch(f"{BASE}{theirs.pk}/", {"enabled": False}, content_type="application/json"),
        client_b.delete(f"{BASE}{theirs.pk}/"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "ats_connection_not_found"
    with tenant_context(tenant_a):
        assert AtsConnection.objects.get(pk=theirs.pk).enabled
    # Nor from the public domain, nor as a member of another employer calling A's domain.
    assert admin_api(tenant_b, Role.OWNER).get(BASE, HTTP_HOST=host_of(tenant_a)).status_code == 404


def test_only_admins_and_owners_manage_boards(admin_api, client_for, tenant_a, connect):
    theirs = connect(tenant_a, "greenhouse", "roles")
    for role in (Role.RECRUITER, Role.VIEWER):
        client = admin_api(tenant_a, role)
        assert client.get(BASE).status_code == 403
        assert _post(client, BASE, {"kind": "greenhouse", "board": "x"}).status_code == 403
        assert _post(client, f"{BASE}{theirs.pk}/sync/").status_code == 403
    anonymous = client_for(tenant_a)
    assert anonymous.get(BASE).status_code == 401
    assert _post(anonymous, BASE, {"kind": "greenhouse", "board": "x"}).status_code == 401
    assert admin_api(tenant_a, Role.OWNER).get(BASE).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "workday", "board": "acme"}, 422, None),
        ({"kind": "greenhouse", "board": ""}, 422, None),
        ({"kind": "greenhouse", "board": "   "}, 422, "board_required"),
        ({"kind": "lever", "board": "acme corp"}, 422, "invalid_board"),
        ({"kind": "ashby", "board": "../../admin"}, 422, "invalid_board"),
        ({"kind": "greenhouse", "board": "a" * 150}, 422, "invalid_board"),
        ({"kind": "greenhouse"}, 422, None),
        ({"kind": "greenhouse", "board": 7}, 422, None),
    ],
)
def test_bad_input_is_a_clear_4xx(admin_api, tenant_a, body, status, code):
    response = _post(admin_api(tenant_a), BASE, body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    if code:
        assert response.json()["code"] == code


def test_malformed_json_and_a_duplicate_board_are_refused(admin_api, tenant_a):
    client = admin_api(tenant_a)
    broken = client.post(BASE, "{not json", content_type="application/json")
    assert 400 <= broken.status_code < 500 and broken.json()["detail"]
    assert client.post(BASE, "kind=greenhouse", content_type="text/plain").status_code in (400, 415, 422)
    assert _post(client, BASE, {"kind": "greenhouse", "board": "twice"}).status_code == 201
    again = _post(client, BASE, {"kind": "greenhouse", "board": "Twice"})
    assert again.status_code == 409 and again.json()["code"] == "ats_connection_exists"
    assert client.patch(f"{BASE}999999/", "[", content_type="application/json").status_code in (400, 404, 422)
    huge = client.get(f"{BASE}{10**30}/")
    assert huge.status_code in (404, 422) and huge.json()["detail"]


def test_a_plan_without_ats_sync_cannot_connect(api_client_for, member, tenant_a, on_plan):
    on_plan(tenant_a, "employer_starter")
    client = api_client_for(member(tenant_a, Role.ADMIN), tenant_a)
    response = _post(client, BASE, {"kind": "greenhouse", "board": "acme"})
    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan" and response.json()["feature"] == "ats_sync"
