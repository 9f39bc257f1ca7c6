"""The listing's language is detected when its index row is written (employer postings, imported jobs) and
stored on the row; the engine reads it from there, so a rebuild never runs the detector."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.services import marketplace_imported_jobs_upsert
from jobpilot.search import index, language
from jobpilot.search.backend import Page, SearchFilters

pytestmark = pytest.mark.django_db

GERMAN = "<p>Wir suchen einen erfahrenen Entwickler für unser Team in Berlin. Sie entwickeln Anwendungen.</p>"
ENGLISH = "<p>We are looking for an experienced developer to join our team and build great applications.</p>"
FRENCH = "<p>Nous recherchons un développeur expérimenté pour rejoindre notre équipe à Paris.</p>"


def row_language(public_id) -> str:
    return MarketplaceJob.objects.get(public_id=public_id).language


def found(**filters) -> set[str]:
    result = index.backend().search(SearchFilters(**filters), Page(limit=100))
    return set(MarketplaceJob.objects.filter(pk__in=result.row_ids).values_list("title", flat=True))


def imported(title: str, description_html: str) -> dict:
    return {
        "title": title,
        "company_name": "Feed Co",
        "department": "",
        "job_type": "full_time",
        "remote": "onsite",
        "city": "Paris",
        "region": "",
        "country": "FR",
        "location_text": "Paris",
        "applicant_countries": [],
        "salary_min": None,
        "salary_max": None,
        "salary_period": "",
        "salary_currency": "",
        "tags": [],
        "description_html": description_html,
        "apply_url": "https://jobs.example.com/apply",
        "posted_at": timezone.now() - timedelta(days=1),
    }


def test_a_german_posting_row_gets_de_and_an_edit_of_its_text_updates_it(tenant_a, make_posting):
    posting = make_posting(tenant_a, title="Softwareentwickler Quokka", description=GERMAN)
    assert row_language(posting.public_id) == "de"
    with tenant_context(tenant_a):
        services.job_posting_update(
            actor=None, posting=posting, changes={"title": "Quokka developer", "description": ENGLISH}
        )
    assert row_language(posting.public_id) == "en"


def test_imported_jobs_get_their_language_on_create_and_on_update():
    with transaction.atomic():
        outcome = marketplace_imported_jobs_upsert(
            source_name="feed", items=[("f1", imported("Développeur backend", FRENCH), None)]
        )
    public_id = outcome["f1"][0]
    assert row_language(public_id) == "fr"
    with transaction.atomic():
        marketplace_imported_jobs_upsert(
            source_name="feed", items=[("f1", imported("Backend developer", ENGLISH), public_id)]
        )
    assert row_language(public_id) == "en"


def test_a_rebuild_indexes_the_stored_language_and_never_runs_the_detector(
    tenant_a, make_posting, monkeypatch
):
    english = make_posting(tenant_a, title="Quokka developer", description=ENGLISH)
    # A stored value detection would never give for this text: the index must follow the row.
    MarketplaceJob.objects.filter(public_id=english.public_id).update(language="nl")

    def no_detection(*args, **kwargs):
        raise AssertionError("the index detected a language instead of reading the row's")

    monkeypatch.setattr(language, "detect", no_detection)
    monkeypatch.setattr(language, "_detector", no_detection)
    index.rebuild()
    assert found(text="quokka", languages=("nl",)) == {"Quokka developer"}
    assert found(text="quokka", languages=("en",)) == set()


def test_the_migration_fills_the_language_of_existing_rows(tenant_a, make_posting):
    posting = make_posting(tenant_a, title="Softwareentwickler Quokka", description=GERMAN)
    MarketplaceJob.objects.filter(public_id=posting.public_id).update(language="")
    migration = import_module("jobpilot.marketplace.migrations.0006_listing_language")
    migration.detect_languages(apps, None)
    assert row_language(posting.public_id) == "de"
