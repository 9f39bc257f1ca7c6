from django.core.management.base import BaseCommand, CommandError

from tenants.models import Domain
from tenants.services import domain_mark_verified


class Command(BaseCommand):
    help = (
        "Mark an employer's custom domain verified after checking ownership yourself "
        "(when the TXT record cannot be used, e.g. DNS the servers cannot reach)."
    )

    def add_arguments(self, parser):
        parser.add_argument("domain")

    def handle(self, *args, domain, **options):
        found = Domain.objects.filter(domain=domain.strip().lower()).select_related("tenant").first()
        if found is None:
            raise CommandError(f"No domain {domain!r}.")
        if found.is_verified:
            self.stdout.write(f"{found.domain} is already verified.")
            return
        self.stdout.write(f"Expected TXT {found.txt_record_name} = {found.txt_record_value}")
        domain_mark_verified(actor="manage.py", domain=found)
        self.stdout.write(self.style.SUCCESS(f"{found.domain} now serves {found.tenant.name}."))
