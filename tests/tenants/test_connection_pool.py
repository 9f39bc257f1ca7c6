"""With a connection pool a request borrows a connection someone else used in another schema: django-tenants
must set the search_path again, or a request could read another employer's tables."""

import pytest
from django.db import connection
from django_tenants.postgresql_backend.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def pooled():
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 0}
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "pool": {"min_size": 1, "max_size": 1}}
    wrapper = DatabaseWrapper(settings, alias="pooled")
    yield wrapper
    wrapper.close()
    wrapper.close_pool()


def search_path_and_backend(wrapper) -> tuple[str, int]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path'), pg_backend_pid()")
        return cursor.fetchone()


def test_a_borrowed_connection_gets_the_borrowers_search_path(pooled, tenant_a, tenant_b):
    pooled.set_schema(tenant_a.schema_name)
    path_a, backend = search_path_and_backend(pooled)
    pooled.close()  # the end of a request: back to the pool, still set to tenant A's schema

    pooled.set_schema(tenant_b.schema_name)
    path_b, same_backend = search_path_and_backend(pooled)
    pooled.close()
    pooled.set_schema_to_public()
    path_public, _ = search_path_and_backend(pooled)

    assert same_backend == backend, "one pooled connection served all three"
    assert path_a == f"{tenant_a.schema_name}, public"
    assert path_b == f"{tenant_b.schema_name}, public"
    assert path_public == "public"


def test_a_request_that_stays_in_one_schema_still_sets_it_on_a_borrowed_connection(pooled, tenant_a):
    pooled.set_schema(tenant_a.schema_name)
    search_path_and_backend(pooled)
    pooled.close()
    with pooled.pool.connection() as raw:  # someone else borrows it and leaves it elsewhere
        raw.execute("SET search_path = public")
    pooled.set_schema(tenant_a.schema_name)

    assert search_path_and_backend(pooled)[0] == f"{tenant_a.schema_name}, public"
