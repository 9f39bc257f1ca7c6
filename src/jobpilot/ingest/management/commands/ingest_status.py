from django.core.management.base import BaseCommand

from jobpilot.ingest.selectors import source_status_list


class Command(BaseCommand):
    help = "Show every source of imported jobs with its health: last success, counts of its last run, last error."

    def handle(self, *args, **options):
        rows = source_status_list()
        if not rows:
            self.stdout.write("No sources. Add one with manage.py ingest_add KIND URL.")
        for row in rows:
            health = "healthy" if row["healthy"] else f"UNHEALTHY ({row['consecutive_failures']} failures)"
            state = "" if row["enabled"] else ", disabled"
            self.stdout.write(
                f"[{row['id']}] {row['name']} ({row['kind']}, every {row['every']}{state}): {health}"
            )
            self.stdout.write(f"    {row['url']}")
            self.stdout.write(
                f"    last run {row['last_run_at'] or 'never'}, last success {row['last_success_at'] or 'never'}; "
                f"{row['live']} listed, {row['duplicates']} duplicates"
            )
            counts = {k: v for k, v in (row["last_counts"] or {}).items() if k != "reasons"}
            if counts:
                self.stdout.write("    last run: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            if row["last_error"]:
                self.stdout.write(f"    last error: {row['last_error']}")
