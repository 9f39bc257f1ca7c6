"""A new tenant's schema is the template's blueprint replayed (ADR 0001): the copy must equal the template in
everything the catalog says about it, and its rows."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from tenants import blueprint
from tenants.models import Domain, Membership, SchemaBlueprint, Tenant
from tenants.services import provision_tenant, schema_blueprint_current

TEMPLATE = settings.TENANT_BASE_SCHEMA

# Every query runs with search_path = the described schema alone, so the deparsers print that schema's own
# objects unqualified in both the template and the copy.
CATALOG = {
    "schema": "SELECT nspacl::text FROM pg_namespace WHERE oid = %(ns)s",
    "relations": """
        SELECT relname, relkind, relpersistence, reloptions, relowner::regrole::text, relacl::text,
               obj_description(oid, 'pg_class'), relrowsecurity, relreplident
          FROM pg_class WHERE relnamespace = %(ns)s ORDER BY relname""",
    "columns": """
        SELECT c.relname, row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), a.attname,
               format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
               a.attidentity, a.attgenerated, a.attcollation::regcollation::text, col_description(c.oid, a.attnum)
          FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
         WHERE c.relnamespace = %(ns)s ORDER BY 1, 2""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid, true), k.condeferrable,
               k.condeferred, k.convalidated
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE c.relnamespace = %(ns)s ORDER BY 1, 2""",
    "indexes": """
        SELECT x.relname, pg_get_indexdef(i.indexrelid, 0, true), i.indisclustered, i.indisprimary
          FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
         WHERE x.relnamespace = %(ns)s ORDER BY 1""",
    "sequences": """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
               s.seqcache, s.seqcycle, pg_sequence_last_value(c.oid)
          FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
         WHERE c.relnamespace = %(ns)s ORDER BY 1""",
    "sequence_owners": """
        SELECT c.relname, d.deptype, t.relname, a.attname
          FROM pg_class c
          JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
         WHERE c.relnamespace = %(ns)s AND c.relkind = 'S' ORDER BY 1""",
    "triggers": """
        SELECT c.relname, g.tgname, pg_get_triggerdef(g.oid, true), g.tgenabled
          FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
         WHERE c.relnamespace = %(ns)s AND NOT g.tgisinternal ORDER BY 1, 2""",
    "functions": """
        SELECT proname, pg_get_function_identity_arguments(oid), pg_get_function_result(oid), prosrc, prokind,
               provolatile, prosecdef, proconfig, proacl::text, prolang::regclass::text,
               obj_description(oid, 'pg_proc')
          FROM pg_proc WHERE pronamespace = %(ns)s ORDER BY 1, 2""",
    "views": """
        SELECT relname, pg_get_viewdef(oid, true) FROM pg_class
         WHERE relnamespace = %(ns)s AND relkind IN ('v', 'm') ORDER BY 1""",
}


def catalog_of(schema: str) -> dict[str, list]:
    described = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid, set_config('search_path', quote_ident(nspname), true) FROM pg_namespace "
            "WHERE nspname = %s",
            [schema],
        )
        ns = cursor.fetchone()[0]
        for part, sql in CATALOG.items():
            cursor.execute(sql, {"ns": ns})
            described[part] = cursor.fetchall()
        cursor.execute(
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = %(ns)s AND relkind IN ('r', 'S') "
            "ORDER BY 1",
            {"ns": ns},
        )
        for relation, kind in cursor.fetchall():
            # A sequence's log_cnt is its WAL bookkeeping, not its value.
            columns = "last_value, is_called" if kind == "S" else "*"
            cursor.execute(f'SELECT {columns} FROM "{relation}" ORDER BY 1')
            described[f"rows of {relation}"] = cursor.fetchall()
        transaction.set_rollback(True)  # leaves the search_path as django-tenants set it
    return described


def assert_same_catalog(copy: str, template: str = TEMPLATE) -> None:
    expected, actual = catalog_of(template), catalog_of(copy)
    assert expected["relations"], "the template has tables"
    for part in expected:
        assert actual[part] == expected[part], part
    assert actual.keys() == expected.keys()


@pytest.mark.django_db
def test_a_provisioned_schema_equals_the_template(make_user):
    tenant = provision_tenant(name="Copy Co", slug="copy-co", owner=make_user())

    assert_same_catalog(tenant.schema_name)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{tenant.schema_name}".applications_pipelinestage')
        assert cursor.fetchone()[0] > 0, "the seeded pipeline stages came along"


@pytest.mark.django_db
def test_the_copy_keeps_grants_comments_sequences_views_identities_and_trigger_states():
    with connection.cursor() as cursor:
        # Made in the template inside this test's transaction, which rolls them back.
        cursor.execute(f"""
            SET LOCAL search_path = "{TEMPLATE}";
            GRANT USAGE ON SCHEMA "{TEMPLATE}" TO PUBLIC;
            GRANT SELECT ON jobs_jobposting TO PUBLIC;
            REVOKE EXECUTE ON FUNCTION applications_statuschange_refuse_update() FROM PUBLIC;
            COMMENT ON TABLE jobs_jobposting IS 'an employer''s posting';
            COMMENT ON COLUMN jobs_jobposting.title IS 'shown on cards';
            ALTER TABLE applications_statuschange DISABLE TRIGGER applications_statuschange_append_only;
            CREATE SEQUENCE invoice_number AS integer START 1000 INCREMENT 5;
            SELECT nextval('invoice_number'), nextval('invoice_number');
            CREATE UNLOGGED TABLE extra (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                gone integer,
                name text COLLATE "C" NOT NULL DEFAULT 'x',
                shout text GENERATED ALWAYS AS (upper(name)) STORED,
                invoice integer DEFAULT nextval('invoice_number'),
                stage_id bigint REFERENCES applications_pipelinestage (id)
            ) WITH (fillfactor = 70);
            ALTER TABLE extra DROP COLUMN gone;
            ALTER SEQUENCE invoice_number OWNED BY extra.invoice;
            ALTER TABLE extra ADD CONSTRAINT extra_name_not_empty CHECK (name <> '') NOT VALID;
            CREATE INDEX extra_shout ON extra (lower(shout)) WHERE invoice > 0;
            INSERT INTO extra (name) VALUES ('a'), ('b');
            CREATE FUNCTION extra_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM extra';
            CREATE VIEW extra_names AS SELECT name, extra_count() AS total FROM extra;
            SET LOCAL search_path = public;
        """)

    blueprint.replay(blueprint.capture(TEMPLATE), "t_blueprint_extras")

    assert_same_catalog("t_blueprint_extras")


@pytest.mark.django_db
def test_a_template_object_the_blueprint_cannot_copy_is_refused():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TYPE \"{TEMPLATE}\".mood AS ENUM ('happy')")
    with pytest.raises(blueprint.UnsupportedObject, match="type mood"):
        blueprint.capture(TEMPLATE)


@pytest.mark.django_db
def test_the_blueprint_is_captured_once_per_migration_state_of_the_template():
    current = schema_blueprint_current()
    assert SchemaBlueprint.objects.get().migration_state == current.migration_state

    with connection.cursor() as cursor:  # as if a migration ran in the template (rolled back with the test)
        cursor.execute(
            f"INSERT INTO \"{TEMPLATE}\".django_migrations (app, name, applied) VALUES ('jobs', '9999_x', now())"
        )
    changed = schema_blueprint_current()

    assert changed.migration_state != current.migration_state
    assert list(SchemaBlueprint.objects.values_list("migration_state", flat=True)) == [
        changed.migration_state
    ]


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_provisionings_make_ten_correct_tenants(public_tenant):
    User = get_user_model()
    owners = [User.objects.create_user(email=f"owner{i}@parallel.example") for i in range(10)]
    SchemaBlueprint.objects.all().delete()  # all ten race to capture it, too
    errors = []
    start = threading.Barrier(10)

    def provision(i: int) -> None:
        try:
            start.wait()
            provision_tenant(name=f"Parallel {i}", slug=f"parallel-{i}", owner=owners[i])
        except Exception as error:  # reported below, with the thread's number
            errors.append((i, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=provision, args=(i,)) for i in range(10)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert errors == []
        tenants = Tenant.objects.filter(slug__startswith="parallel-")
        assert tenants.count() == 10
        for tenant in tenants:
            assert Domain.objects.get(tenant=tenant).domain == f"{tenant.slug}.{settings.BASE_DOMAIN}"
            assert Membership.objects.get(tenant=tenant).role == Membership.Role.OWNER
            assert_same_catalog(tenant.schema_name)
        assert SchemaBlueprint.objects.count() == 1
    finally:
        with connection.cursor() as cursor:
            for i in range(10):
                cursor.execute(f'DROP SCHEMA IF EXISTS "t_parallel_{i}" CASCADE')


@pytest.mark.django_db
def test_tenant_tables_reference_nothing_outside_their_schema():
    """A tenant schema must stay movable to another database as a unit (ADR 0011)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.conname, k.confrelid::regclass::text FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
            "WHERE k.contype = 'f' AND c.relnamespace = %(ns)s::regnamespace "
            "AND r.relnamespace <> %(ns)s::regnamespace",
            {"ns": TEMPLATE},
        )
        assert cursor.fetchall() == []
