from django.conf import settings
from django.core.management.base import CommandError
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.migration_executors.base import run_migrations

from tenants.selectors import employer_tenants, tenant_schemas_behind_template
from tenants.services import ensure_public_tenant, tenant_template_migrate


class Command(MigrateSchemasCommand):
    """django-tenants' migrate_schemas, in this order: the public schema, the tenant template (new tenants are
    copies of it; its blueprint is captured afterwards), then only the employer schemas whose migration state
    differs from the template's (ADR 0010). Also makes sure the public tenant exists for BASE_DOMAIN.

    A migration that fails in one schema stops the run there and names the schema; its failed migration has
    rolled back, the schemas before it are done, the ones after it untouched. Running the command again
    continues with the schemas still behind."""

    def handle(self, *args, **options):
        schema_name = options.get("schema_name")
        if schema_name or options.get("shared"):
            # One schema (also how the template itself is migrated), or the public schema alone.
            super().handle(*args, **options)
            if not schema_name or schema_name == settings.PUBLIC_SCHEMA_NAME:
                ensure_public_tenant()
            return
        if not options.get("tenant"):
            super().handle(*args, **{**options, "shared": True})
        ensure_public_tenant()
        verbosity = int(options.get("verbosity", 1))
        tenant_template_migrate(verbosity=verbosity)

        # Migrating to a named migration, planning or checking visits every schema, as django-tenants does.
        everything = options.get("app_label") or options.get("plan") or options.get("check_unapplied")
        if everything:
            schemas = list(employer_tenants().order_by("schema_name").values_list("schema_name", flat=True))
        else:
            schemas = tenant_schemas_behind_template()
        if verbosity >= 1:
            total = employer_tenants().count()
            self.stdout.write(f"{len(schemas)} of {total} employer schemas to migrate.")
        self.args, self.options = args, {**options, "tenant": True, "shared": False}
        self._migrate(schemas)

    def _migrate(self, schemas: list[str]) -> None:
        executor = get_executor(codename=self.options.get("executor"))(self.args, self.options)
        if executor.codename != "standard":
            # Parallel executors (bounded by TENANT_MULTIPROCESSING_MAX_PROCESSES) report a failure themselves.
            executor.run_migrations(tenants=schemas)
            return
        for index, schema in enumerate(schemas):
            try:
                run_migrations(
                    self.args, self.options, executor.codename, schema, idx=index, count=len(schemas)
                )
            except Exception as error:
                raise CommandError(
                    f"Migrating schema {schema} failed ({index} of {len(schemas)} schemas migrated before it): "
                    f"{error}\nIts failed migration was rolled back and the schemas after it were not touched. "
                    "Fix the cause and run migrate_schemas again: it continues with the schemas still behind "
                    "the template."
                ) from error
