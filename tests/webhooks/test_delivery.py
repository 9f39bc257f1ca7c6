"""Events reach a real receiver signed, after commit; failures are retried with backoff for a day; one event is
never sent to one endpoint twice at once; every attempt is logged with its reason."""

import json
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.webhooks import services
from jobpilot.webhooks.models import WebhookDelivery, WebhookEvent
from jobpilot.webhooks.tasks import send_due
from jobpilot.webhooks.transport import SIGNATURE_HEADER, signature_verify
from tenants.models import DueWork
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


def _ping(tenant, endpoint, capture):
    with capture(execute=True), tenant_context(tenant):
        return services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint.pk)


def _delivery(tenant, pk) -> WebhookDelivery:
    with tenant_context(tenant):
        return WebhookDelivery.objects.select_related("event").prefetch_related("attempts").get(pk=pk)


def test_an_application_is_delivered_signed_with_ids_and_links(
    tenant_a, receiver, endpoint_for, applied, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url, event_types=["application.received"])
    with django_capture_on_commit_callbacks(execute=True):
        _, application = applied()

    (request,) = receiver.requests
    assert request.path == "/hooks/jobpilot"
    assert signature_verify(
        secret=endpoint.secret, header=request.headers[SIGNATURE_HEADER], body=request.body
    )
    body = json.loads(request.body)
    assert body["type"] == "application.received"
    assert request.headers["JobPilot-Event-Id"] == body["id"]
    assert request.headers["JobPilot-Delivery-Attempt"] == "1"
    assert body["employer"] == {"slug": "acme", "name": "Acme Corp"}
    data = body["data"]
    assert data["application"]["id"] == application.pk
    assert data["application"]["url"] == f"https://acme.localhost/console/applications/{application.pk}/"
    assert data["application"]["api_url"].endswith(f"/api/v1/employer/applications/{application.pk}/")
    assert data["job"]["id"] == str(application.job.public_id)
    assert data["stage"]["name"] == application.stage.name
    # Ids and links, not the candidate's personal data.
    assert application.email not in request.body.decode()
    assert application.name not in request.body.decode()
    with tenant_context(tenant_a):
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == Status.SUCCEEDED
    assert delivery.last_response_status == 200


def test_a_rolled_back_change_records_and_sends_nothing(tenant_a, receiver, endpoint_for, make_posting):
    endpoint_for(tenant_a, receiver.url, event_types=["job.published"])
    from django.db import transaction

    from jobpilot.jobs import services as jobs
    from tests.jobs.conftest import posting_data

    with tenant_context(tenant_a):
        before = WebhookEvent.objects.count()
        posting = jobs.job_posting_create(actor=None, data=posting_data())
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.job_posting_publish(actor=None, posting=posting)
            raise RuntimeError("the request failed after publishing")
        assert WebhookEvent.objects.count() == before
    assert receiver.requests == []


def _retry_time_comes(tenant, delivery):
    """Time passes to the delivery's retry: the delivery and its schema's due work say so."""
    with tenant_context(tenant):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    DueWork.objects.filter(tenant=tenant, kind=DueWork.Kind.WEBHOOK_DELIVERIES).update(due_at=timezone.now())


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.answer(Answer(500, body=b"boom"), Answer(503))
    delivery = _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)

    delivery = _delivery(tenant_a, delivery.pk)
    assert delivery.status == Status.PENDING
    assert delivery.last_response_status == 500
    first_wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert timedelta(seconds=60) <= first_wait <= timedelta(seconds=66)

    send_due()  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    _retry_time_comes(tenant_a, delivery)
    send_due()
    delivery = _delivery(tenant_a, delivery.pk)
    assert delivery.status == Status.PENDING
    second_wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert timedelta(seconds=120) <= second_wait <= timedelta(seconds=132)

    _retry_time_comes(tenant_a, delivery)
    send_due()
    delivery = _delivery(tenant_a, delivery.pk)
    assert delivery.status == Status.SUCCEEDED
    attempts = list(delivery.attempts.all())
    assert [(a.number, a.reason, a.response_status) for a in attempts] == [
        (1, "first", 500),
        (2, "retry", 503),
        (3, "retry", 200),
    ]
    assert attempts[0].response_body == "boom"
    # Every attempt carries the same event, byte for byte, and says which attempt it is.
    assert len({request.body for request in receiver.requests}) == 1
    assert [r.headers["JobPilot-Delivery-Attempt"] for r in receiver.requests] == ["1", "2", "3"]


def test_retries_stop_after_a_day(tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.default = Answer(500)
    delivery = _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)
    waited = timedelta()
    for _ in range(services.MAX_ATTEMPTS_PER_ROUND - 1):
        current = _delivery(tenant_a, delivery.pk)
        assert current.status == Status.PENDING
        waited += current.next_attempt_at - current.last_attempt_at
        with tenant_context(tenant_a):
            services.webhook_delivery_attempt(delivery_id=delivery.pk, now=current.next_attempt_at)
    current = _delivery(tenant_a, delivery.pk)
    assert current.status == Status.FAILED
    assert current.attempt_count == services.MAX_ATTEMPTS_PER_ROUND == 12
    assert timedelta(hours=24) <= waited <= timedelta(hours=26.5)


def test_a_receiver_that_times_out_is_logged_and_retried(
    tenant_a, receiver, endpoint_for, fast_timeouts, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.answer(Answer(200, delay=2.0))
    delivery = _delivery(tenant_a, _ping(tenant_a, endpoint, django_capture_on_commit_callbacks).pk)
    assert delivery.status == Status.PENDING
    (attempt,) = delivery.attempts.all()
    assert attempt.response_status is None
    assert attempt.error == "Timed out waiting for the answer."
    assert 400 <= attempt.duration_ms < 1500


def test_a_slow_receiver_within_the_timeout_succeeds_and_its_time_is_logged(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.answer(Answer(204, delay=0.6, body=b""))
    delivery = _delivery(tenant_a, _ping(tenant_a, endpoint, django_capture_on_commit_callbacks).pk)
    assert delivery.status == Status.SUCCEEDED
    (attempt,) = delivery.attempts.all()
    assert attempt.response_status == 204
    assert attempt.duration_ms >= 600


def test_a_receiver_that_is_down_is_logged_and_retried(
    tenant_a, endpoint_for, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = endpoint_for(tenant_a, f"http://127.0.0.1:{port}/hook")
    delivery = _delivery(tenant_a, _ping(tenant_a, endpoint, django_capture_on_commit_callbacks).pk)
    assert delivery.status == Status.PENDING
    (attempt,) = delivery.attempts.all()
    assert attempt.response_status is None
    assert attempt.error.startswith("Could not connect: ")
    assert "refused" in attempt.error


def test_a_redirect_is_a_failure_not_followed(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.answer(Answer(302))
    delivery = _delivery(tenant_a, _ping(tenant_a, endpoint, django_capture_on_commit_callbacks).pk)
    assert delivery.status == Status.PENDING
    assert delivery.last_response_status == 302
    assert len(receiver.requests) == 1


def test_during_a_rotation_both_secrets_sign_and_afterwards_only_the_new_one(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    old = endpoint.secret
    with tenant_context(tenant_a):
        rotated = services.webhook_endpoint_rotate_secret(
            actor=None, endpoint_id=endpoint.pk, previous_valid_hours=1
        )
    _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)
    header = receiver.requests[-1].headers[SIGNATURE_HEADER]
    body = receiver.requests[-1].body
    assert header.count("v1=") == 2
    assert signature_verify(secret=old, header=header, body=body)
    assert signature_verify(secret=rotated.secret, header=header, body=body)
    assert not signature_verify(secret="whsec_wrong", header=header, body=body)
    assert not signature_verify(secret=old, header=header, body=body + b" ")  # the body is signed

    with tenant_context(tenant_a):
        type(endpoint).objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)
    header = receiver.requests[-1].headers[SIGNATURE_HEADER]
    assert header.count("v1=") == 1
    assert not signature_verify(secret=old, header=header, body=receiver.requests[-1].body)
    assert signature_verify(secret=rotated.secret, header=header, body=receiver.requests[-1].body)


def test_an_old_timestamp_does_not_verify(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)
    request = receiver.requests[-1]
    timestamp = int(request.headers[SIGNATURE_HEADER].split(",")[0][2:])
    assert not signature_verify(
        secret=endpoint.secret,
        header=request.headers[SIGNATURE_HEADER],
        body=request.body,
        now=timestamp + 301,
    )


def test_redeliver_sends_again_as_a_new_round_and_says_why(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    delivery = _ping(tenant_a, endpoint, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        services.webhook_delivery_redeliver(actor=None, delivery_id=delivery.pk)
    delivery = _delivery(tenant_a, delivery.pk)
    assert [(a.number, a.reason) for a in delivery.attempts.all()] == [(1, "first"), (2, "redeliver")]
    assert delivery.status == Status.SUCCEEDED
    assert len(receiver.requests) == 2


def test_a_sender_that_died_mid_attempt_is_taken_over_once_its_lease_ends(
    tenant_a, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    with tenant_context(tenant_a):
        delivery = services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint.pk)  # not sent: no commit
        claimed = services._claim(delivery.pk, timezone.now())  # a sender claims it, then dies
        assert claimed is not None
        assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None  # held: nobody else sends
        later = timezone.now() + services._lease() + timedelta(seconds=1)
        attempt = services.webhook_delivery_attempt(delivery_id=delivery.pk, now=later)
    assert attempt.reason == "lease_expired"
    assert attempt.number == 2
    assert len(receiver.requests) == 1


def test_a_disabled_endpoint_gets_nothing(
    tenant_a, receiver, endpoint_for, make_posting, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url, event_types=["job.published"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(tenant_a)
    assert receiver.requests == []
    with tenant_context(tenant_a):
        assert not WebhookDelivery.objects.filter(endpoint=endpoint).exists()


def test_without_the_plan_feature_events_are_not_recorded(
    tenant_a, receiver, endpoint_for, on_plan, make_posting, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url, event_types=["job.published"])
    on_plan(tenant_a, "employer_starter")  # a downgrade keeps the endpoint, stops the sending
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(tenant_a)
    assert receiver.requests == []
    with tenant_context(tenant_a):
        assert not WebhookDelivery.objects.filter(endpoint=endpoint).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_one_event_to_one_endpoint_once(tenant_a, receiver, endpoint_for):
    from django.db import connection

    endpoint = endpoint_for(tenant_a, receiver.url)
    receiver.default = Answer(200, delay=0.3)
    with tenant_context(tenant_a):
        from jobpilot.webhooks.models import WebhookDelivery as Delivery

        event = services._event_create(tenant_a, services.EventType.PING, {})
        delivery = Delivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=timezone.now())
    results = []

    def sender():
        try:
            with tenant_context(tenant_a):
                results.append(services.webhook_delivery_attempt(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.requests) == 1
    assert sum(result is not None for result in results) == 1
