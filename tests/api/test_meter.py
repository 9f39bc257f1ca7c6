"""Overage on plans with metered billing goes to Stripe's meter once, however often the task is retried."""

import pytest

from billing.entitlements import consume
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user
from jobpilot.api.models import MeterReport
from jobpilot.api.tasks import api_report_meter_events

pytestmark = pytest.mark.django_db


def _over_quota(api_customer, *, plan="api_business", limit=2, used=5, customer_id="cus_meter_1"):
    user = api_customer(plan, api_requests_per_day=limit)
    account = billing_account_for_user(user, Audience.API)
    account.stripe_customer_id = customer_id
    account.save(update_fields=["stripe_customer_id"])
    for _ in range(used):
        consume(account, Metric.API_REQUESTS_PER_DAY)
    return account


def test_overage_is_reported_as_one_meter_event_with_an_identifier(api_customer, fake_meter):
    account = _over_quota(api_customer)
    assert api_report_meter_events.apply().get() == {"prepared": 1, "sent": 1}
    [event] = fake_meter.requests
    assert event["path"] == "/v1/billing/meter_events" and event["event_name"] == "jobpilot_api_requests"
    assert (event["customer"], event["value"]) == ("cus_meter_1", 3)
    assert event["identifier"] == event["idempotency_key"] and event["identifier"].startswith(
        f"jp-api-{account.pk}-"
    )


def test_a_retried_task_never_reports_twice(api_customer, fake_meter):
    _over_quota(api_customer)
    # Stripe counts the event but every answer (with the client's own retries) is lost: the task fails.
    fake_meter.lose_answers = 3
    with pytest.raises(Exception):  # noqa: B017 - whatever the task raises, the retry below must not double-bill
        api_report_meter_events.run()
    assert MeterReport.objects.get().sent_at is None
    assert api_report_meter_events.run() == {"prepared": 0, "sent": 1}
    assert api_report_meter_events.run() == {"prepared": 0, "sent": 0}
    identifiers = {r["identifier"] for r in fake_meter.requests}
    assert len(identifiers) == 1 and len(fake_meter.requests) == 4
    assert sum(fake_meter.counted.values()) == 3


def test_new_overage_is_reported_as_the_difference(api_customer, fake_meter):
    account = _over_quota(api_customer, used=4)
    api_report_meter_events.run()
    consume(account, Metric.API_REQUESTS_PER_DAY)
    consume(account, Metric.API_REQUESTS_PER_DAY)
    api_report_meter_events.run()
    assert [r["value"] for r in fake_meter.requests] == [2, 2]
    assert len(fake_meter.counted) == 2


def test_plans_without_overage_report_nothing(api_customer, fake_meter):
    user = api_customer("api_developer", api_requests_per_day=2)
    account = billing_account_for_user(user, Audience.API)
    account.stripe_customer_id = "cus_meter_free"
    account.save(update_fields=["stripe_customer_id"])
    consume(account, Metric.API_REQUESTS_PER_DAY)
    assert api_report_meter_events.run() == {"prepared": 0, "sent": 0}
    assert fake_meter.requests == []


def test_each_customer_is_billed_only_its_own_overage(api_customer, fake_meter):
    _over_quota(api_customer, used=3, customer_id="cus_meter_a")
    _over_quota(api_customer, used=6, customer_id="cus_meter_b")
    api_report_meter_events.run()
    assert sorted((r["customer"], r["value"]) for r in fake_meter.requests) == [
        ("cus_meter_a", 1),
        ("cus_meter_b", 4),
    ]
