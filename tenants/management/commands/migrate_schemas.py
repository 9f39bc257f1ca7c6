from django.conf import settings
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants.services import ensure_public_tenant, tenant_template_migrate


class Command(MigrateSchemasCommand):
    """django-tenants' migrate_schemas, which also keeps the tenant template schema current (new tenants are
    clones of it) and makes sure the public tenant exists for BASE_DOMAIN."""

    def handle(self, *args, **options):
        super().handle(*args, **options)
        schema_name = options.get("schema_name")
        if schema_name and schema_name != settings.PUBLIC_SCHEMA_NAME:
            return  # migrating one tenant (also how django-tenants fakes a clone's migrations)
        ensure_public_tenant()
        if not options.get("shared"):
            tenant_template_migrate(verbosity=options.get("verbosity", 1))
