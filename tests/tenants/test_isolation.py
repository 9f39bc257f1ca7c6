"""A model in TENANT_APPS is stored per schema: what one tenant writes, another never sees."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db


def test_a_tenant_row_is_invisible_from_another_tenant_and_from_public(tenant_a, tenant_b):
    # contenttypes is in TENANT_APPS, so each schema has its own table.
    with schema_context(tenant_a.schema_name):
        ContentType.objects.create(app_label="isolation", model="probe")
        assert ContentType.objects.filter(app_label="isolation").count() == 1
    with schema_context(tenant_b.schema_name):
        assert not ContentType.objects.filter(app_label="isolation").exists()
    with schema_context("public"):
        assert not ContentType.objects.filter(app_label="isolation").exists()
