from django.core.management.base import BaseCommand, CommandError

from jobpilot.marketplace.services import marketplace_rebuild, marketplace_tenant_reindex
from tenants.selectors import employer_tenants


class Command(BaseCommand):
    help = (
        "Rebuild the marketplace index from every employer's postings (one transaction per employer). "
        "Safe while the site runs: each employer's index lock keeps it in step with concurrent changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="rebuild only this employer (its slug)")

    def handle(self, *args, tenant=None, **options):
        if tenant:
            found = employer_tenants().filter(slug=tenant).first()
            if found is None:
                raise CommandError(f"No employer with the slug {tenant!r}.")
            listed = marketplace_tenant_reindex(tenant=found)
            self.stdout.write(f"{found.slug}: {listed} jobs listed.")
            return
        result = marketplace_rebuild()
        self.stdout.write(f"{result['tenants']} employers, {result['jobs']} jobs listed.")
