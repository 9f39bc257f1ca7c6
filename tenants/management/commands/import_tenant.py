from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.moves import MoveError, import_tenant


class Command(BaseCommand):
    help = (
        "Restore an export_tenant archive into this database (DATABASE_URL of the target; its public schema must be "
        "migrated). Refuses an employer whose id, slug or schema the target already has."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--database-url", help="libpq URL of the target (default: this settings' database)"
        )

    def handle(self, *args, file, database_url, **options):
        if not file.exists():
            raise CommandError(f"No archive at {file}.")
        try:
            summary = import_tenant(file, dsn=database_url)
        except MoveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported schema {summary['schema']} with {summary['rows']}"))
