from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        rows = ", ".join(f"{table} {count}" for table, count in summary["rows"].items())
        self.stdout.write(
            self.style.SUCCESS(f"Exported schema {summary['schema']} and public rows ({rows}) to {file}")
        )
