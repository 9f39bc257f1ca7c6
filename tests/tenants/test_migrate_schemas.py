"""migrate_schemas visits only the employer schemas behind the template, and a migration that fails in one
schema stops the run there, names it, and can be resumed (ADR 0010)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tenants.selectors import tenant_schemas_behind_template
from tenants.services import provision_tenant

# The newest applications migration: nothing depends on it, so a schema can be put back to before it.
LAST = ("applications", "0005_match_score")  # point it at the newest when one lands
UNDO_LAST = 'ALTER TABLE "{schema}".applications_application DROP COLUMN IF EXISTS match_score;'


def forget_last_migration(schema: str, *, undo: bool) -> None:
    """Make `schema` one migration behind; without `undo` its objects stay, so applying it again fails."""
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', LAST)
        if undo:
            cursor.execute(UNDO_LAST.format(schema=schema))


def has_last_migration(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s', LAST
        )
        return cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_only_schemas_whose_migrations_differ_from_the_template_are_behind(make_user, tenant_a):
    current = provision_tenant(name="Current", slug="mig-current", owner=make_user())
    behind = provision_tenant(name="Behind", slug="mig-behind", owner=make_user())
    forget_last_migration(behind.schema_name, undo=True)

    schemas = tenant_schemas_behind_template()

    assert behind.schema_name in schemas
    assert current.schema_name not in schemas
    assert tenant_a.schema_name not in schemas


@pytest.mark.django_db(transaction=True)
def test_a_migration_failing_in_one_schema_stops_there_says_which_and_resumes(make_user, public_tenant):
    tenants = [provision_tenant(name=s, slug=f"mig-{s}", owner=make_user()) for s in ("a", "b", "c")]
    first, failing, after = (tenant.schema_name for tenant in tenants)
    forget_last_migration(first, undo=True)
    forget_last_migration(failing, undo=False)  # its column still exists: ADD COLUMN fails
    forget_last_migration(after, undo=True)
    try:
        with pytest.raises(CommandError, match=f"Migrating schema {failing} failed") as failure:
            call_command("migrate_schemas", verbosity=0)
        assert "already exists" in str(failure.value)
        assert has_last_migration(first)
        assert not has_last_migration(failing)
        assert not has_last_migration(after), "the schemas after the failing one are not touched"
        assert tenant_schemas_behind_template() == [failing, after]

        with connection.cursor() as cursor:  # the fix
            cursor.execute(UNDO_LAST.format(schema=failing))
        call_command("migrate_schemas", verbosity=0)

        assert tenant_schemas_behind_template() == []
        assert all(has_last_migration(schema) for schema in (first, failing, after))
    finally:
        with connection.cursor() as cursor:
            for schema in (first, failing, after):
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
