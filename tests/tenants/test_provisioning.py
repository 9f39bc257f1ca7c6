import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

from jobpilot.core.errors import Conflict, Invalid
from tenants.models import Domain, Membership, Tenant
from tenants.services import provision_tenant

pytestmark = pytest.mark.django_db


def test_provisioning_creates_schema_domain_and_owner_membership(make_user):
    owner = make_user()
    tenant = provision_tenant(name="Initech", slug="initech", owner=owner)

    assert schema_exists(tenant.schema_name)
    assert Domain.objects.get(tenant=tenant).domain == f"initech.{settings.BASE_DOMAIN}"
    assert Membership.objects.get(tenant=tenant).role == Membership.Role.OWNER


def test_a_cloned_schema_is_fully_migrated(make_user):
    tenant = provision_tenant(name="Hooli", slug="hooli", owner=make_user())
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT app, name FROM "{tenant.schema_name}".django_migrations EXCEPT '
            f'SELECT app, name FROM "{settings.TENANT_BASE_SCHEMA}".django_migrations'
        )
        assert cursor.fetchall() == []
        cursor.execute(f'SELECT count(*) FROM "{tenant.schema_name}".django_migrations')
        assert cursor.fetchone()[0] > 0


def test_a_taken_slug_is_a_conflict(make_user, tenant_a):
    with pytest.raises(Conflict):
        provision_tenant(name="Other Acme", slug="acme", owner=make_user())


@pytest.mark.parametrize("slug", ["ab", "1abc", "has space", "UPPER!", "a--b", "-abc", "www", "api"])
def test_a_bad_or_reserved_slug_is_refused(make_user, slug):
    with pytest.raises((Invalid, Conflict)):
        provision_tenant(name="X", slug=slug, owner=make_user())
    assert not Tenant.objects.filter(slug=slug).exists()


def test_management_command_provisions_a_tenant(capsys):
    call_command("provision_tenant", name="Umbrella", slug="umbrella", owner_email="boss@umbrella.example")
    assert Tenant.objects.filter(slug="umbrella").exists()
    assert "umbrella.localhost" in capsys.readouterr().out
