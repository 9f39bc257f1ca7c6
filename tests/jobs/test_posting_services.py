"""Posting rules in jobs/services.py: drafts, publishing, closing, archiving, deleting, duplicating."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.core.errors import Conflict, DomainError, Invalid
from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from tests.jobs.conftest import posting_data

pytestmark = pytest.mark.django_db
Status = JobPosting.Status


def create(tenant, **fields) -> JobPosting:
    with tenant_context(tenant):
        return services.job_posting_create(actor=None, data=posting_data(**fields))


def test_a_new_posting_is_a_draft_with_a_slug_from_its_title(tenant_a):
    posting = create(tenant_a, title="Robot Whisperer 7741")
    assert posting.status == Status.DRAFT
    assert posting.slug == "robot-whisperer-7741"


def test_a_second_posting_with_the_same_title_gets_another_slug(tenant_a):
    first = create(tenant_a, title="Forklift Artist 118")
    second = create(tenant_a, title="Forklift Artist 118")
    assert first.slug == "forklift-artist-118"
    assert second.slug.startswith("forklift-artist-118-") and second.slug != first.slug


def test_posting_html_is_sanitized_when_created_and_when_updated(tenant_a):
    posting = create(tenant_a, description='<p onclick="x()">Hi</p><script>steal()</script>')
    assert posting.description == "<p>Hi</p>"
    with tenant_context(tenant_a):
        posting = services.job_posting_update(
            actor=None,
            posting=posting,
            changes={"benefits": '<a href="javascript:x()">perks</a><iframe></iframe>'},
        )
    assert posting.benefits == '<a rel="nofollow noopener noreferrer">perks</a>'


def test_a_salary_minimum_above_the_maximum_is_refused_naming_the_field(tenant_a):
    with pytest.raises(Invalid) as caught:
        create(tenant_a, salary_min=90_000, salary_max=50_000)
    assert caught.value.extra["field"] == "salary_max"


def test_an_expiry_in_the_past_is_refused(tenant_a):
    with pytest.raises(Invalid) as caught:
        create(tenant_a, expires_at=timezone.now() - timedelta(minutes=1))
    assert caught.value.extra["field"] == "expires_at"


def test_publishing_gives_the_default_listing_period_when_none_is_set(tenant_a, settings):
    posting = create(tenant_a)
    with tenant_context(tenant_a):
        posting = services.job_posting_publish(actor=None, posting=posting)
    assert posting.status == Status.PUBLISHED
    assert posting.published_at is not None
    expected = posting.published_at + timedelta(days=settings.JOB_POSTING_DEFAULT_DAYS)
    assert abs(posting.expires_at - expected) < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": "<p> </p>"}, "description"),
        ({"country": "", "city": "Berlin", "remote": "onsite"}, "country"),
        ({"country": "", "remote": "hybrid"}, "country"),
        ({"application_deadline": date.today() - timedelta(days=2)}, "application_deadline"),
        ({"expires_at": timezone.now() + timedelta(days=400)}, "expires_at"),
    ],
)
def test_a_posting_that_is_not_ready_cannot_be_published(tenant_a, fields, field):
    posting = create(tenant_a, **fields)
    with tenant_context(tenant_a), pytest.raises(Invalid) as caught:
        services.job_posting_publish(actor=None, posting=posting)
    assert caught.value.extra["field"] == field
    with tenant_context(tenant_a):
        posting.refresh_from_db()
    assert posting.status == Status.DRAFT


def test_a_remote_job_needs_no_office_location_but_where_applicants_may_live(tenant_a):
    posting = create(tenant_a, country="", city="", remote="remote")
    with tenant_context(tenant_a), pytest.raises(Invalid) as refused:
        services.job_posting_publish(actor=None, posting=posting)
    assert refused.value.code == "applicant_countries_required"

    posting = create(tenant_a, country="", city="", remote="remote", applicant_countries=["DE", "AT"])
    with tenant_context(tenant_a):
        assert services.job_posting_publish(actor=None, posting=posting).status == Status.PUBLISHED


def test_a_published_posting_cannot_lose_what_publishing_requires(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a), pytest.raises(Invalid):
        services.job_posting_update(actor=None, posting=posting, changes={"description": ""})


def test_a_closed_posting_can_be_published_again_with_a_fresh_listing_period(tenant_a, make_posting):
    posting = make_posting(tenant_a, status=Status.CLOSED)
    assert posting.closed_reason == JobPosting.ClosedReason.MANUAL
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(days=1))
        posting = services.job_posting_publish(actor=None, posting=posting)
    assert posting.status == Status.PUBLISHED
    assert posting.closed_at is None and posting.closed_reason == ""
    assert posting.expires_at > timezone.now()


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, services.job_posting_close),
        (Status.PUBLISHED, services.job_posting_publish),
        (Status.ARCHIVED, services.job_posting_publish),
        (Status.ARCHIVED, services.job_posting_archive),
    ],
)
def test_a_status_change_that_does_not_apply_is_a_conflict(tenant_a, make_posting, status, action):
    posting = make_posting(tenant_a, status=status)
    with tenant_context(tenant_a), pytest.raises(Conflict):
        action(actor=None, posting=posting)


def test_an_archived_posting_cannot_be_changed(tenant_a, make_posting):
    posting = make_posting(tenant_a, status=Status.ARCHIVED)
    with tenant_context(tenant_a), pytest.raises(Conflict):
        services.job_posting_update(actor=None, posting=posting, changes={"title": "New title"})


def test_a_posting_people_applied_to_cannot_be_deleted(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=posting.pk).update(application_count=1)
        with pytest.raises(Conflict) as caught:
            services.job_posting_delete(actor=None, posting=posting)
        assert caught.value.code == "job_has_applications"
        assert JobPosting.objects.filter(pk=posting.pk).exists()
    assert MarketplaceJob.objects.filter(public_id=posting.public_id).exists()


def test_deleting_a_posting_removes_it_and_its_listing(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        services.job_posting_delete(actor=None, posting=posting)
        assert not JobPosting.objects.filter(pk=posting.pk).exists()
    assert not MarketplaceJob.objects.filter(public_id=posting.public_id).exists()


def test_duplicating_makes_a_draft_with_the_same_content_but_no_history(tenant_a, make_posting):
    posting = make_posting(tenant_a, skills=["Rust"], salary_min=10, salary_max=20)
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=posting.pk).update(view_count=40, application_count=3)
        copy = services.job_posting_duplicate(actor=None, posting=posting)
    assert copy.status == Status.DRAFT
    assert copy.public_id != posting.public_id and copy.slug != posting.slug
    assert (copy.title, copy.skills, copy.salary_min, copy.salary_max) == (posting.title, ["Rust"], 10, 20)
    assert (copy.view_count, copy.application_count, copy.published_at) == (0, 0, None)


def test_a_duplicate_keeps_a_future_deadline_and_expiry_but_drops_past_ones(tenant_a, make_posting):
    today = timezone.now().date()
    upcoming = make_posting(tenant_a, application_deadline=today + timedelta(days=10))
    lapsed = make_posting(tenant_a)
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=lapsed.pk).update(
            application_deadline=today - timedelta(days=1), expires_at=timezone.now() - timedelta(days=1)
        )
        lapsed.refresh_from_db()
        kept = services.job_posting_duplicate(actor=None, posting=upcoming)
        dropped = services.job_posting_duplicate(actor=None, posting=lapsed)
    assert kept.application_deadline == today + timedelta(days=10)
    assert (dropped.application_deadline, dropped.expires_at) == (None, None)


def test_a_view_is_counted_on_the_posting(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        services.job_posting_count_view(posting_id=posting.pk)
        services.job_posting_count_view(posting_id=posting.pk)
        posting.refresh_from_db()
    assert posting.view_count == 2


def _in_threads(target, count):
    results, barrier = [], threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            results.append(target())
        except DomainError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_with_one_title_all_get_their_own_slug(tenant_a):
    data = posting_data(title="Concurrent Slug Checker 5521")

    def create_one():
        with tenant_context(tenant_a):
            return services.job_posting_create(actor=None, data=dict(data))

    postings = _in_threads(create_one, 4)
    assert all(isinstance(posting, JobPosting) for posting in postings)
    assert len({posting.slug for posting in postings}) == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_of_one_draft_publish_it_once_and_list_it_once(tenant_a):
    posting = create(tenant_a)

    def publish():
        with tenant_context(tenant_a):
            return services.job_posting_publish(actor=None, posting=posting)

    results = _in_threads(publish, 3)
    assert sum(isinstance(result, JobPosting) for result in results) == 1
    assert sum(isinstance(result, Conflict) for result in results) == 2
    assert MarketplaceJob.objects.filter(public_id=posting.public_id).count() == 1


def test_every_remote_demo_job_says_where_applicants_may_live():
    from jobpilot.jobs.demo import JOBS, REMOTE_COUNTRIES

    remote_without_country = [
        job for jobs in JOBS.values() for job in jobs if job[3] == "remote" and not job[6]
    ]
    assert remote_without_country  # the demo has such jobs
    assert all(REMOTE_COUNTRIES.get(job[9]) for job in remote_without_country)
