"""The console's webhook pages: admins only, the secret shown once, the delivery log with response codes and a
redeliver button, another employer's ids not found, bad input answered on the page."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.webhooks import services
from jobpilot.webhooks.models import WebhookEndpoint
from tenants.models import Membership
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def admin_page(staff_client, webhooks_plan):
    def make(tenant, role=Role.ADMIN):
        return staff_client(tenant, role)

    return make


def test_an_admin_adds_an_endpoint_and_sees_the_secret_once(admin_page, tenant_a, receiver):
    client = admin_page(tenant_a)
    assert client.get("/console/webhooks/").status_code == 200
    response = client.post(
        "/console/webhooks/",
        {
            "url": receiver.url,
            "description": "HRIS",
            "event_types": ["application.received"],
            "is_active": "on",
        },
    )
    assert response.status_code == 201
    with tenant_context(tenant_a):
        endpoint = WebhookEndpoint.objects.get(url=receiver.url, description="HRIS")
    assert endpoint.secret in response.content.decode()
    page = client.get(f"/console/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in page
    assert endpoint.secret[-4:] in page


def test_a_private_url_is_refused_on_the_page(admin_page, tenant_a):
    response = admin_page(tenant_a).post(
        "/console/webhooks/", {"url": "http://10.1.2.3/hook", "event_types": ["job.published"]}
    )
    assert response.status_code == 422
    assert "public addresses only" in response.content.decode()


def test_an_empty_form_is_answered_on_the_page(admin_page, tenant_a):
    response = admin_page(tenant_a).post("/console/webhooks/", {"url": ""})
    assert response.status_code == 422


def test_the_log_shows_response_codes_and_redeliver_resends(
    admin_page, tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.answer(Answer(503))
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        delivery = services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint.pk)
    client = admin_page(tenant_a)
    page = client.get(f"/console/webhooks/{endpoint.pk}/").content.decode()
    assert "503" in page
    assert "Redeliver" in page

    with django_capture_on_commit_callbacks(execute=True):
        row = client.post(f"/console/webhooks/deliveries/{delivery.pk}/redeliver/", HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    html = row.content.decode()
    assert html.startswith(f'<tr id="delivery-{delivery.pk}">')
    assert "Pending" in html  # queued; the worker sends it after commit
    assert len(receiver.requests) == 2

    detail = client.get(f"/console/webhooks/deliveries/{delivery.pk}/").content.decode()
    assert "Redelivered by hand" in detail
    assert "Succeeded" in detail
    assert "webhook.ping" in detail


def test_rotate_ping_and_delete_from_the_console(
    admin_page, tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    client = admin_page(tenant_a)
    rotated = client.post(f"/console/webhooks/{endpoint.pk}/rotate/", {"previous_secret_valid_hours": "1"})
    with tenant_context(tenant_a):
        endpoint.refresh_from_db()
    assert endpoint.secret in rotated.content.decode()
    assert endpoint.previous_secret
    bad = client.post(
        f"/console/webhooks/{endpoint.pk}/rotate/", {"previous_secret_valid_hours": "nope"}, follow=True
    )
    assert "0 to 168 hours" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/webhooks/{endpoint.pk}/ping/")
    assert len(receiver.requests) == 1
    assert client.post(f"/console/webhooks/{endpoint.pk}/nonsense/").status_code == 404
    assert client.post(f"/console/webhooks/{endpoint.pk}/delete/").status_code == 302
    with tenant_context(tenant_a):
        assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.RECRUITER])
def test_members_below_admin_get_403(staff_client, tenant_a, role):
    assert staff_client(tenant_a, role).get("/console/webhooks/").status_code == 403


def test_another_employers_endpoint_and_delivery_are_not_found(
    admin_page, tenant_a, tenant_b, receiver, endpoint_for
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    with tenant_context(tenant_a):
        delivery = services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint.pk)
    client_b = admin_page(tenant_b)
    assert receiver.url not in client_b.get("/console/webhooks/").content.decode()
    assert client_b.get(f"/console/webhooks/{endpoint.pk}/").status_code == 404
    assert client_b.post(f"/console/webhooks/{endpoint.pk}/ping/").status_code == 404
    assert client_b.get(f"/console/webhooks/deliveries/{delivery.pk}/").status_code == 404
    assert client_b.post(f"/console/webhooks/deliveries/{delivery.pk}/redeliver/").status_code == 404


def test_without_the_plan_the_page_says_so_and_keeps_what_was_made(
    staff_client, tenant_a, on_plan, receiver, endpoint_for
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    on_plan(tenant_a, "employer_starter")
    page = staff_client(tenant_a, Role.ADMIN).get("/console/webhooks/").content.decode()
    assert "Growth plan" in page
    assert endpoint.url in page
