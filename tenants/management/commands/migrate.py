# `migrate` is migrate_schemas, as in django-tenants; this one keeps the template schema current too.
from tenants.management.commands.migrate_schemas import Command  # noqa: F401
