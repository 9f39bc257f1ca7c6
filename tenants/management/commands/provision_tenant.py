from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jobpilot.core.errors import DomainError
from tenants.services import provision_tenant, tenant_domain_for_slug


class Command(BaseCommand):
    help = "Provision an employer tenant: schema, <slug>.<BASE_DOMAIN> domain and owner membership."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-email", required=True, help="an existing user, or one to create")
        parser.add_argument("--owner-password", help="password for a newly created owner")

    def handle(self, *args, name, slug, owner_email, owner_password, **options):
        User = get_user_model()
        owner = User.objects.filter(email__iexact=owner_email).first()
        if owner is None:
            owner = User.objects.create_user(email=owner_email, password=owner_password)
        try:
            tenant = provision_tenant(name=name, slug=slug, owner=owner)
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"Provisioned {tenant.name} at http://{tenant_domain_for_slug(tenant.slug)}:8000/")
