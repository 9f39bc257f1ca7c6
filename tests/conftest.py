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

from jobpilot.celery import app as celery_app
from tenants.models import Tenant
from tenants.services import ensure_public_tenant, provision_tenant

TEST_PASSWORD = "correct-horse-battery-staple-42"
_user_numbers = itertools.count(1)
_search_index_numbers = itertools.count(1)


def _test_database_is_set_up() -> bool:
    # pytest-django makes the test database only when a selected test uses it (`-k` may select none).
    return connection.settings_dict["NAME"].startswith("test_")


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Worker threads (Celery, Channels) keep connections open; end them so the test database can be dropped."""
    yield
    if not _test_database_is_set_up():
        return
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


# --- Tenants, staff and plans -----------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _fixture_tenant_schemas_once(django_db_setup, django_db_blocker):
    """Clone the schemas of tenant_a and tenant_b once per run, committed. Made inside a test's rolled-back
    transaction they were cloned again for every test (about 1.3 s each). A committing test's flush removes their
    rows but not their schemas; `ensure_tenant` then re-creates the rows over the kept schemas, which is cheap."""
    if not _test_database_is_set_up():
        return
    with django_db_blocker.unblock():
        ensure_tenant("acme", "Acme Corp")
        ensure_tenant("globex", "Globex")


def owner_of(tenant: Tenant):
    return tenant.memberships.get(role="owner").user


def join_team(tenant: Tenant, user, role: str = "recruiter"):
    """`user` joins `tenant`'s staff the way people do: invited by the owner, accepting the link."""
    from tenants.services import invitation_accept, invitation_send

    _invitation, token = invitation_send(actor=owner_of(tenant), tenant=tenant, email=user.email, role=role)
    return invitation_accept(user=user, token=token)


@pytest.fixture
def make_member(make_user):
    """`make_member(tenant, role)` is a new user holding that role on `tenant`'s staff."""
    from tenants.models import Membership

    def make(tenant: Tenant, role: str = "recruiter", **fields):
        user = make_user(**fields)
        Membership.objects.create(user=user, tenant=tenant, role=role)
        return user

    return make


@pytest.fixture
def on_plan(db):
    """`on_plan(tenant_or_user, "employer_growth")` puts that payer on a plan, as an administrator would."""
    from billing.plans import Audience
    from billing.selectors import billing_account_for_tenant, billing_account_for_user
    from billing.services import billing_account_assign_plan

    def assign(payer, plan_code: str, audience: Audience = Audience.SEEKER):
        if isinstance(payer, Tenant):
            account = billing_account_for_tenant(payer)
        else:
            account = billing_account_for_user(payer, audience)
        return billing_account_assign_plan(actor="tests", account=account, plan_code=plan_code)

    return assign


@pytest.fixture
def branding_plan(on_plan, tenant_a, tenant_b):
    """Both test employers on Growth, whose plan includes custom branding and hiding "Powered by"."""
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")


def lift_posting_limit(tenant: Tenant) -> None:
    """Fixtures that publish many postings lift the employer's active-postings limit; the limit itself is
    tested in tests/jobs/test_posting_limits.py."""
    from billing.selectors import billing_account_for_tenant
    from billing.services import billing_account_override_limits

    account = billing_account_for_tenant(tenant)
    if account.limit_overrides.get("active_postings", 0) is not None:
        billing_account_override_limits(actor="tests", account=account, limits={"active_postings": None})


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads of this test go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached answers (search results) must not leak between tests whose
    database changes were rolled back without the invalidation that a commit would have triggered."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path_factory):
    """Each test gets a search index of its own (made on first use, rebuilt from the test's database), so no
    engine state outlives the rolled-back rows it was built from, and no two test processes share one."""
    root = tmp_path_factory.getbasetemp() / "search-index"
    settings.SEARCH_INDEX_DIR = root / str(next(_search_index_numbers))


# --- Applications ---------------------------------------------------------------------------------------------------


@pytest.fixture
def apply_for_real(api_client_for):
    """`apply_for_real(seeker, tenant, **posting_fields)`: publish a posting in `tenant` and apply to it through
    `POST /api/v1/jobs/{id}/apply/`, as the seeker would. Returns the seeker's tracker row."""
    from django_tenants.utils import tenant_context

    from jobpilot.jobs import services as job_services
    from jobpilot.tracker.models import TrackedApplication
    from tests.jobs.conftest import posting_data

    def apply(seeker, tenant: Tenant, **posting_fields):
        lift_posting_limit(tenant)
        with tenant_context(tenant):
            posting = job_services.job_posting_create(actor=None, data=posting_data(**posting_fields))
            posting = job_services.job_posting_publish(actor=None, posting=posting)
        response = api_client_for(seeker).post(
            f"/api/v1/jobs/{posting.public_id}/apply/", {}, content_type="application/json"
        )
        assert response.status_code == 201, response.json()
        return TrackedApplication.objects.get(pk=response.json()["tracked_application_id"])

    return apply


# --- Celery ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def celery_worker_on_redis(settings):
    """A real Celery worker (in a thread, with its own database connection) consuming from Redis."""
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.update(
        task_always_eager=False, broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL
    )
    _forget_result_backend()
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            yield
    finally:
        celery_app.conf.update(
            task_always_eager=True, broker_url=settings.CELERY_BROKER_URL, result_backend=None
        )
        _forget_result_backend()


def _forget_result_backend():
    """Celery caches its result backend per thread on first use (an eager task caches "none") and never reads
    the configuration again; make it read the configuration anew."""
    celery_app._local.__dict__.pop("backend", None)
    celery_app._backend_cache = None
