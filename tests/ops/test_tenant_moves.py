"""A tenant export restored into a fresh database holds the same schema (catalog) and the same rows."""

import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenants import moves
from tests.applications.conftest import applied, apply_to, job  # noqa: F401, F811
from tests.jobs.conftest import make_posting  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),  # pg_dump reads committed data on its own connection
]


@pytest.fixture(autouse=True)
def client_tools(request):
    """pg_dump and pg_restore of the server's major version (skipped only where none is installed)."""
    if request.node.name.startswith("test_missing_client_tools"):
        return None
    dsn = moves.dsn_of_default()
    try:
        return {name: moves.client_tool(name, dsn) for name in ("pg_dump", "pg_restore")}
    except moves.MoveError as missing:
        pytest.skip(str(missing))


COLUMNS = """SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
             WHERE table_schema = %s ORDER BY 1, 2"""
CONSTRAINTS = """SELECT cl.relname, c.conname, c.contype FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
                 JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s ORDER BY 1, 2"""
INDEXES = "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2"


@pytest.fixture
def target_dsn(tmp_path, client_tools):
    """A fresh database with JobPilot's public schema (no rows), as a second installation would have."""
    source = moves.dsn_of_default()
    name = psycopg.conninfo.conninfo_to_dict(source)["dbname"] + "_move_target"
    admin = psycopg.conninfo.make_conninfo(source, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = psycopg.conninfo.make_conninfo(source, dbname=name)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
    structure = tmp_path / "public.dump"
    subprocess.run(
        [
            client_tools["pg_dump"],
            "--format=custom",
            "--schema-only",
            "--no-owner",
            "--schema=public",
            f"--file={structure}",
            f"--dbname={source}",
        ],
        check=True,
    )
    subprocess.run(
        [client_tools["pg_restore"], "--no-owner", "--exit-on-error", f"--dbname={target}", str(structure)],
        check=True,
    )
    yield target
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _catalog(dsn, schema):
    with psycopg.connect(dsn) as conn:
        return [conn.execute(query, [schema]).fetchall() for query in (COLUMNS, CONSTRAINTS, INDEXES)]


def _counts(dsn, schema, tables=None):
    with psycopg.connect(dsn) as conn:
        tables = tables or [
            t
            for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema]
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{schema}"."{t}"').fetchone()[0] for t in tables}


def test_an_exported_employer_imports_into_a_fresh_database(applied, tenant_a, target_dsn, tmp_path):  # noqa: F811
    applied()
    applied()
    archive = tmp_path / "acme.tar"
    source = moves.dsn_of_default()

    call_command("export_tenant", tenant_a.slug, str(archive))
    call_command("import_tenant", str(archive), database_url=target_dsn)

    schema = tenant_a.schema_name
    assert _catalog(target_dsn, schema) == _catalog(source, schema)
    counts = _counts(source, schema)
    # >=: the tenant's schema outlives a transactional test's flush, so earlier tests' rows may be there too.
    assert counts["applications_application"] >= 2 and counts["jobs_jobposting"] >= 1
    assert _counts(target_dsn, schema) == counts
    with psycopg.connect(target_dsn) as conn:
        assert conn.execute("SELECT slug FROM tenants_tenant").fetchall() == [(tenant_a.slug,)]
        assert conn.execute("SELECT count(*) FROM tenants_domain").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM tenants_membership").fetchone()[0] >= 1
        # The seekers who applied (shared users) came along, so the pipeline's foreign keys hold.
        assert conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0] >= 3
        # The target's next tenant id comes after the imported one.
        assert (
            conn.execute("SELECT nextval(pg_get_serial_sequence('tenants_tenant', 'id'))").fetchone()[0]
            > tenant_a.pk
        )


def test_an_import_refuses_a_clashing_slug_or_schema(tenant_a, tmp_path):
    archive = tmp_path / "acme.tar"
    call_command("export_tenant", tenant_a.slug, str(archive))

    with pytest.raises(CommandError, match="clashing with 'acme'"):
        call_command("import_tenant", str(archive))  # into the database it came from


def test_an_unknown_slug_or_archive_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No employer with the slug 'nobody'"):
        call_command("export_tenant", "nobody", str(tmp_path / "x.tar"))
    with pytest.raises(CommandError, match="No archive"):
        call_command("import_tenant", str(tmp_path / "missing.tar"))


def test_missing_client_tools_say_what_to_install(tenant_a, tmp_path, monkeypatch):
    monkeypatch.setattr(moves, "_tool_candidates", lambda name: [])
    with pytest.raises(CommandError, match=r"apt-get install postgresql-client-1\d"):
        call_command("export_tenant", tenant_a.slug, str(tmp_path / "x.tar"))


def test_an_export_is_in_the_platform_staff_audit_log(tenant_a, tmp_path):
    from jobpilot.audit.platform.models import PlatformAuditEntry

    call_command("export_tenant", tenant_a.slug, str(tmp_path / "acme.tar"))
    [entry] = PlatformAuditEntry.objects.filter(action="tenant.export")
    assert entry.target_id == str(tenant_a.pk) and "manage.py export_tenant" in entry.actor
    assert entry.after == {"file": str(tmp_path / "acme.tar")}
