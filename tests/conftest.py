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


# --- Seekers, resumes and the tracker -------------------------------------------------------------------------------


def access_token_for(user) -> str:
    from ninja_jwt.tokens import AccessToken

    return str(AccessToken.for_user(user))


@pytest.fixture
def api_client_for(public_tenant):
    """`api_client_for(user, tenant=None)`: a client that sends `user`'s bearer access token to that tenant's
    domain (the public domain by default)."""

    def make(user, tenant: Tenant | None = None) -> Client:
        return Client(HTTP_HOST=host_of(tenant), HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}")

    return make


@pytest.fixture
def seeker(make_user):
    return make_user(first_name="Sam", last_name="Seeker")


@pytest.fixture
def pipeline_stand_in(monkeypatch):
    """Stand-in for `jobpilot.applications.services`, the employer pipeline that is built separately: records
    what the tracker hands to each employer, and in which schema the call runs. Remove once that app exists."""
    import sys
    import types

    from django.apps import apps

    calls = {"anonymized": [], "withdrawn": []}
    module = types.ModuleType("jobpilot.applications.services")

    def application_anonymize_for_deleted_seeker(*, application_ids):
        calls["anonymized"].append((connection.schema_name, sorted(application_ids)))

    def application_withdraw_by_seeker(*, application_id):
        calls["withdrawn"].append((connection.schema_name, application_id))

    module.application_anonymize_for_deleted_seeker = application_anonymize_for_deleted_seeker
    module.application_withdraw_by_seeker = application_withdraw_by_seeker
    monkeypatch.setitem(sys.modules, "jobpilot.applications", types.ModuleType("jobpilot.applications"))
    monkeypatch.setitem(sys.modules, "jobpilot.applications.services", module)
    is_installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "jobpilot.applications" or is_installed(name))
    return calls


@pytest.fixture(autouse=True)
def _forget_celery_result_backend():
    """Celery caches its result backend on first use. A task run eagerly (result backend off) would otherwise
    leave a disabled backend cached for a later test that starts a real worker with Redis results."""
    yield
    from jobpilot.celery import app

    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
