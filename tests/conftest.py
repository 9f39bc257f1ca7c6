"""Fixtures shared by the whole suite.

Employer tenants are provisioned once per database and kept: a schema per test would be slow. Tests that commit
(`transaction=True`) flush the public tables afterwards, so the tenant fixtures re-create the rows they need (the
schemas stay). Use unique names for rows a committing test writes into a tenant schema.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from tenants.models import Tenant
from tenants.services import ensure_public_tenant, provision_tenant

TEST_PASSWORD = "correct-horse-battery-staple-42"
_user_numbers = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Worker threads (Celery, Channels) keep connections open; end them so the test database can be dropped."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    connection.set_schema_to_public()


def ensure_tenant(slug: str, name: str) -> Tenant:
    ensure_public_tenant()
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        owner, _ = get_user_model().objects.get_or_create(email=f"owner@{slug}.example")
        owner.set_password(TEST_PASSWORD)
        owner.save()
        tenant = provision_tenant(name=name, slug=slug, owner=owner)
    return tenant


@pytest.fixture
def public_tenant(db):
    return ensure_public_tenant()


@pytest.fixture
def tenant_a(db) -> Tenant:
    return ensure_tenant("acme", "Acme Corp")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return ensure_tenant("globex", "Globex")


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, password: str = TEST_PASSWORD, **fields):
        email = email or f"user{next(_user_numbers)}@example.com"
        return get_user_model().objects.create_user(email=email, password=password, **fields)

    return make


def host_of(tenant: Tenant | None) -> str:
    return "localhost" if tenant is None or tenant.is_public else f"{tenant.slug}.localhost"


@pytest.fixture
def public_client(public_tenant) -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def client_for(public_tenant):
    """`client_for(tenant)` is a test client whose requests go to that tenant's domain."""

    def make(tenant: Tenant | None = None) -> Client:
        return Client(HTTP_HOST=host_of(tenant))

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached answers (search results) must not leak between tests whose
    database changes were rolled back without the invalidation that a commit would have triggered."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _employer_schemas(django_db_setup, django_db_blocker):
    """Clone the test employers' schemas once per run and keep them. Cloned inside a test's transaction, a
    schema is dropped again by that test's rollback, and the next test clones it anew (seconds each). Their
    public rows are removed again, so tests still start with empty public tables (`ensure_tenant` re-creates
    the rows and finds the schema in place)."""
    with django_db_blocker.unblock():
        for slug, name in (("acme", "Acme Corp"), ("globex", "Globex")):
            tenant = ensure_tenant(slug, name)
            owners = [membership.user for membership in tenant.memberships.all()]
            tenant.delete()  # the row only: django-tenants keeps the schema unless told to drop it
            for owner in owners:
                owner.delete()
        Tenant.objects.filter(schema_name="public").delete()


@pytest.fixture(autouse=True)
def _celery_result_backend_follows_config():
    """Celery caches its result backend on first use (also by tasks run eagerly); forget it after each test, so
    that a test which points Celery at Redis (tests/tenants/test_context.py) gets a backend for that config."""
    yield
    from jobpilot.celery import app

    app._local.__dict__.pop("backend", None)
