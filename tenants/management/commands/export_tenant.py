import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobpilot.audit.platform import platform_record
from tenants.models import Tenant
from tenants.moves import MoveError, export_tenant


class Command(BaseCommand):
    help = "Write one employer (its schema and its public rows) to an archive that import_tenant restores."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)

    def handle(self, *args, slug, file, **options):
        try:
            summary = export_tenant(slug, file)
        except MoveError as error:
            raise CommandError(str(error)) from error
        # A copy of all of an employer's data left the database: a platform staff action, in the platform's log
        # (not the employer's own log, which travels inside the archive).
        tenant = Tenant.objects.get(slug=slug)
        platform_record(
            actor=f"{getpass.getuser()} (manage.py export_tenant)",
            action="tenant.export",
            target=tenant,
            after={"file": str(file)},
        )
        rows = ", ".join(f"{table} {count}" for table, count in summary["rows"].items())
        self.stdout.write(
            self.style.SUCCESS(f"Exported schema {summary['schema']} and public rows ({rows}) to {file}")
        )
