"""The tenant schema's blueprint: the template schema's DDL, captured once per migration state and replayed to
create each new tenant schema (ADR 0001).

Capturing reads the catalog object by object, which costs in proportion to the size of the catalog (it grows by
~74 relations per tenant); it runs once per migration state of the template. Replaying is one multi-statement
script in the provisioning transaction, whose cost does not depend on how many tenants exist.

How names stay right without rewriting SQL: the capture runs with `search_path` set to the template alone, so
PostgreSQL's own deparsers (`pg_get_indexdef`, `pg_get_constraintdef`, `pg_get_triggerdef`, `pg_get_expr`,
`format_type`, regclass output) leave the template's objects unqualified and qualify everything else (public
tables, extension types). The replay runs with `search_path` set to the new schema alone, so each unqualified
name is created in, and resolves to, the new schema, and nothing can silently fall through to `public`.

Rows are not captured: the replay copies them (and the sequences' values) from the template as it is then, so the
template stays the single source. What the capture cannot copy faithfully it refuses (`UnsupportedObject`),
which fails `migrate_schemas` rather than a sign-up.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

SCHEMA = "@schema@"  # in `schema_sql` only (our own generated text), replaced by the quoted new schema name


class UnsupportedObject(Exception):
    """The template holds an object the blueprint does not know how to copy."""


@dataclass(frozen=True)
class Blueprint:
    migration_state: str
    schema_sql: str  # CREATE SCHEMA and its grants, with the SCHEMA placeholder
    body_sql: str  # everything inside the schema; run with search_path = the new schema


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migration_state_sql(schema_name: str) -> str:
    """A query answering one schema's migration state: the md5 of the migrations applied to it (the template's
    identifies its structure; a tenant whose state equals it has nothing to migrate)."""
    return (
        f"SELECT md5(coalesce(string_agg(app || '.' || name, ',' ORDER BY app, name), '')) "  # noqa: S608
        f"FROM {quote(schema_name)}.django_migrations"
    )


def migration_state(cursor, schema_name: str) -> str:
    cursor.execute(migration_state_sql(schema_name))
    return cursor.fetchone()[0]


def capture(template: str) -> Blueprint:
    """Read the template's catalog and write it out as SQL."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
        (ns,) = cursor.fetchone()
        state = migration_state(cursor, template)
        with _search_path(cursor, template):
            _refuse_unsupported(cursor, ns)
            schema_sql = [f"CREATE SCHEMA {SCHEMA}", *_schema_grants(cursor, ns)]
            body_sql = [
                "SET LOCAL check_function_bodies = off",  # as pg_dump: function bodies may name later objects
                *_functions(cursor, ns),
                "SET LOCAL check_function_bodies TO DEFAULT",
                *_sequences(cursor, ns),
                *_tables(cursor, ns),
                *_views(cursor, ns),
                *_identities_and_ownership(cursor, ns),
                *_row_copies(cursor, ns, template),
                *_sequence_values(cursor, ns, template),
                *_constraints(cursor, ns),
                *_indexes(cursor, ns),
                *_triggers(cursor, ns),
                *_comments(cursor, ns),
                *_grants(cursor, ns),
            ]
    return Blueprint(
        migration_state=state,
        schema_sql=";\n".join(schema_sql) + ";\n",
        body_sql=";\n".join(body_sql) + ";\n",
    )


def replay(blueprint: Blueprint, schema_name: str) -> None:
    """Create `schema_name` as a copy of the template, all or nothing (a savepoint inside the caller's
    transaction, which is where provisioning calls it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # One round trip each: without parameters psycopg sends a script with the simple query protocol.
        cursor.execute(blueprint.schema_sql.replace(SCHEMA, quote(schema_name)))
        with _search_path(cursor, schema_name):
            cursor.execute(blueprint.body_sql)


@contextmanager
def _search_path(cursor, schema_name: str):
    """Set the search_path to one schema for the transaction, then put back the one django-tenants set. On an
    error the transaction (or savepoint) rolls back, and the setting with it."""
    cursor.execute(
        "SELECT current_setting('search_path'), set_config('search_path', %s, true)", [quote(schema_name)]
    )
    previous = cursor.fetchone()[0]
    yield
    cursor.execute("SELECT set_config('search_path', %s, true)", [previous])


def _rows(cursor, sql: str, ns: int) -> list[tuple]:
    cursor.execute(sql, {"ns": ns})
    return cursor.fetchall()


def _refuse_unsupported(cursor, ns: int) -> None:
    found = _rows(
        cursor,
        """
        SELECT 'relation ' || relname || ' of kind ' || relkind::text FROM pg_class
         WHERE relnamespace = %(ns)s AND relkind NOT IN ('r', 'i', 'S', 'v')
        UNION ALL SELECT 'partitioned or inherited table ' || c.relname FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relnamespace = %(ns)s
        UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace = %(ns)s
           AND (typtype IN ('e', 'd', 'r', 'm', 'p') OR (typtype = 'b' AND typelem = 0))
        UNION ALL SELECT 'routine ' || proname || ' of kind ' || prokind::text FROM pg_proc
         WHERE pronamespace = %(ns)s AND prokind NOT IN ('f', 'p')
        UNION ALL SELECT 'row security policy ' || polname FROM pg_policy p
          JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = %(ns)s
        UNION ALL SELECT 'rule ' || rulename FROM pg_rewrite r
          JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = %(ns)s AND rulename <> '_RETURN'
        UNION ALL SELECT 'column privileges on ' || c.relname FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = %(ns)s AND a.attacl IS NOT NULL
        UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extnamespace = %(ns)s
        UNION ALL SELECT 'collation ' || collname FROM pg_collation WHERE collnamespace = %(ns)s
        UNION ALL SELECT 'operator ' || oprname FROM pg_operator WHERE oprnamespace = %(ns)s
        """,
        ns,
    )
    if found:
        raise UnsupportedObject(
            "The tenant template holds objects new tenants cannot be copied with: "
            + ", ".join(row[0] for row in found)
        )


def _functions(cursor, ns: int) -> list[str]:
    statements = []
    rows = _rows(
        cursor,
        """
        SELECT p.proname, pg_get_functiondef(p.oid), quote_ident(n.nspname) || '.'
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.pronamespace = %(ns)s ORDER BY p.oid
        """,
        ns,
    )
    for name, definition, qualifier in rows:
        # pg_get_functiondef always qualifies the routine's own name, whatever the search_path: drop it.
        for kind in ("FUNCTION", "PROCEDURE"):
            definition = definition.replace(f"CREATE OR REPLACE {kind} {qualifier}", f"CREATE {kind} ", 1)
        if not definition.startswith(("CREATE FUNCTION ", "CREATE PROCEDURE ")):
            raise UnsupportedObject(f"Cannot read the definition of routine {name}.")
        statements.append(definition.rstrip().rstrip(";"))
    return statements


def _sequence_options(type_name, start, increment, minimum, maximum, cache, cycle) -> str:
    # An identity's sequence takes its column's type (type_name None): PostgreSQL refuses an AS for it.
    return (
        f"{f'AS {type_name} ' if type_name else ''}INCREMENT BY {increment} MINVALUE {minimum} MAXVALUE {maximum} "
        f"START WITH {start} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
    )


def _sequences(cursor, ns: int) -> list[str]:
    # An identity column's sequence depends on its column "internally" (deptype 'i') and is made with the
    # identity (`_identities_and_ownership`); every other sequence is made here, before the tables that use it.
    rows = _rows(
        cursor,
        """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
               s.seqcache, s.seqcycle
          FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
         WHERE c.relnamespace = %(ns)s AND c.relkind = 'S'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                           AND d.objid = c.oid AND d.deptype = 'i')
         ORDER BY c.oid
        """,
        ns,
    )
    return [f"CREATE SEQUENCE {quote(name)} {_sequence_options(*options)}" for name, *options in rows]


def _tables(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT c.oid, c.relname, c.relpersistence, c.reloptions, a.attname,
               format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
               a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation
                    THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
          FROM pg_class c
          LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
          LEFT JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_collation co ON co.oid = a.attcollation
          LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
         WHERE c.relnamespace = %(ns)s AND c.relkind = 'r'
         ORDER BY c.oid, a.attnum
        """,
        ns,
    )
    tables: dict[int, tuple] = {}
    for oid, table, persistence, options, column, type_name, not_null, default, generated, collation in rows:
        _, _, _, columns = tables.setdefault(oid, (table, persistence, options, []))
        if column is None:
            continue  # a table without columns
        spec = f"{quote(column)} {type_name}"
        if collation:
            spec += f" COLLATE {collation}"
        if generated == "s":
            spec += f" GENERATED ALWAYS AS ({default}) STORED"
        elif default is not None:
            spec += f" DEFAULT {default}"
        if not_null:
            spec += " NOT NULL"
        columns.append(spec)
    statements = []
    for table, persistence, options, columns in tables.values():
        unlogged = "UNLOGGED " if persistence == "u" else ""
        statements.append(f"CREATE {unlogged}TABLE {quote(table)} ({', '.join(columns)}){_with(options)}")
    return statements


def _views(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        "SELECT relname, reloptions, pg_get_viewdef(oid, true) FROM pg_class "
        "WHERE relnamespace = %(ns)s AND relkind = 'v' ORDER BY oid",
        ns,
    )
    return [
        f"CREATE VIEW {quote(name)}{_with(options)} AS {definition.rstrip().rstrip(';')}"
        for name, options, definition in rows
    ]


def _with(options: list[str] | None) -> str:
    return f" WITH ({', '.join(options)})" if options else ""


def _identities_and_ownership(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT d.deptype, t.relname, a.attname, a.attidentity, c.relname, format_type(s.seqtypid, NULL),
               s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
          FROM pg_class c
          JOIN pg_sequence s ON s.seqrelid = c.oid
          JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('i', 'a')
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
         WHERE c.relnamespace = %(ns)s AND c.relkind = 'S'
         ORDER BY c.oid
        """,
        ns,
    )
    statements = []
    for deptype, table, column, identity, sequence, _type, *options in rows:
        if deptype == "i":
            kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
            statements.append(
                f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} ADD GENERATED {kind} AS IDENTITY "
                f"(SEQUENCE NAME {quote(sequence)} {_sequence_options(None, *options)})"
            )
        else:
            statements.append(f"ALTER SEQUENCE {quote(sequence)} OWNED BY {quote(table)}.{quote(column)}")
    return statements


def _row_copies(cursor, ns: int, template: str) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
               bool_or(a.attidentity = 'a')
          FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
         WHERE c.relnamespace = %(ns)s AND c.relkind = 'r'
         GROUP BY c.oid, c.relname ORDER BY c.oid
        """,
        ns,
    )
    return [
        f"INSERT INTO {quote(table)} ({columns}){' OVERRIDING SYSTEM VALUE' if always else ''} "  # noqa: S608
        f"SELECT {columns} FROM {quote(template)}.{quote(table)}"
        for table, columns, always in rows
    ]


def _sequence_values(cursor, ns: int, template: str) -> list[str]:
    rows = _rows(
        cursor, "SELECT relname FROM pg_class WHERE relnamespace = %(ns)s AND relkind = 'S' ORDER BY oid", ns
    )
    return [
        f"SELECT pg_catalog.setval({_literal(quote(name))}, last_value, is_called) "  # noqa: S608
        f"FROM {quote(template)}.{quote(name)}"
        for (name,) in rows
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _constraints(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid, true)
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
         WHERE c.relnamespace = %(ns)s AND k.contype IN ('p', 'u', 'x', 'c', 'f')
         ORDER BY k.contype = 'f', k.oid
        """,
        ns,
    )
    return [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition in rows
    ]


def _indexes(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT pg_get_indexdef(i.indexrelid, 0, true), i.indisclustered, t.relname, x.relname
          FROM pg_index i
          JOIN pg_class x ON x.oid = i.indexrelid
          JOIN pg_class t ON t.oid = i.indrelid
         WHERE x.relnamespace = %(ns)s
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                           AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
         ORDER BY i.indexrelid
        """,
        ns,
    )
    statements = []
    for definition, clustered, table, index in rows:
        statements.append(definition)
        if clustered:
            statements.append(f"ALTER TABLE {quote(table)} CLUSTER ON {quote(index)}")
    return statements


def _triggers(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT pg_get_triggerdef(g.oid, true), g.tgenabled, c.relname, g.tgname
          FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
         WHERE c.relnamespace = %(ns)s AND NOT g.tgisinternal
         ORDER BY g.oid
        """,
        ns,
    )
    states = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}
    statements = []
    for definition, enabled, table, name in rows:
        statements.append(definition)
        if enabled in states:
            statements.append(f"ALTER TABLE {quote(table)} {states[enabled]} TRIGGER {quote(name)}")
    return statements


def _comments(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        """
        SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE'
                    ELSE 'INDEX' END,
               quote_ident(c.relname) || coalesce('.' || quote_ident(a.attname), ''), a.attname IS NOT NULL,
               quote_literal(d.description)
          FROM pg_description d
          JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
          LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
         WHERE c.relnamespace = %(ns)s
        UNION ALL
        SELECT 'FUNCTION', quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               false, quote_literal(d.description)
          FROM pg_description d JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
         WHERE p.pronamespace = %(ns)s
        """,
        ns,
    )
    return [
        f"COMMENT ON {'COLUMN' if is_column else kind} {target} IS {text}"
        for kind, target, is_column, text in rows
    ]


def _grant_statements(rows) -> list[str]:
    """From (object kind, target, grantee or None for PUBLIC, privilege, grantable) rows, grouped by object."""
    statements, reset = [], set()
    for kind, target, grantee, privilege, grantable in rows:
        if (kind, target) not in reset:
            # As pg_dump: the ACL is replaced as a whole, so also the owner's own privileges match the template.
            reset.add((kind, target))
            statements.append(f"REVOKE ALL ON {kind} {target} FROM PUBLIC, CURRENT_USER")
        role = "PUBLIC" if grantee is None else quote(grantee)
        option = " WITH GRANT OPTION" if grantable else ""
        statements.append(f"GRANT {privilege} ON {kind} {target} TO {role}{option}")
    return statements


_ACL = """
    SELECT {kind}, {target}, r.rolname, acl.privilege_type, acl.is_grantable
      FROM {catalog} o, aclexplode(o.{acl}) acl
      LEFT JOIN pg_roles r ON r.oid = acl.grantee
     WHERE o.{namespace} = %(ns)s AND o.{acl} IS NOT NULL
"""


def _grants(cursor, ns: int) -> list[str]:
    relations = _ACL.format(
        kind="CASE o.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END",
        target="quote_ident(o.relname)",
        catalog="pg_class",
        acl="relacl",
        namespace="relnamespace",
    )
    routines = _ACL.format(
        kind="'FUNCTION'",
        target="quote_ident(o.proname) || '(' || pg_get_function_identity_arguments(o.oid) || ')'",
        catalog="pg_proc",
        acl="proacl",
        namespace="pronamespace",
    )
    return _grant_statements(
        _rows(cursor, f"SELECT * FROM ({relations} UNION ALL {routines}) g ORDER BY 1, 2, 3, 4", ns)  # noqa: S608
    )


def _schema_grants(cursor, ns: int) -> list[str]:
    rows = _rows(
        cursor,
        _ACL.format(kind="'SCHEMA'", target="''", catalog="pg_namespace", acl="nspacl", namespace="oid"),
        ns,
    )
    return _grant_statements(
        (kind, SCHEMA, grantee, priv, grantable) for kind, _, grantee, priv, grantable in rows
    )
