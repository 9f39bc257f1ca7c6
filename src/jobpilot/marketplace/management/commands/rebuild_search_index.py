from django.core.management.base import BaseCommand

from jobpilot.search.index import rebuild


class Command(BaseCommand):
    help = "Build the marketplace search index from PostgreSQL (the source of truth)."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild()} marketplace jobs.")
