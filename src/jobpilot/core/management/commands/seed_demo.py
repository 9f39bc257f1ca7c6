"""Demo data for a local run: the public site, two branded employers with owners, a seeker. Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from tenants.models import Tenant
from tenants.services import ensure_public_tenant, provision_tenant, tenant_domain_for_slug

DEMO_PASSWORD = "jobpilot-demo"
DEMO_EMPLOYERS = [
    {"slug": "acme", "name": "Acme Robotics", "owner": "owner@acme.example"},
    {"slug": "globex", "name": "Globex Energy", "owner": "owner@globex.example"},
]
DEMO_SEEKER = "seeker@example.com"


class Command(BaseCommand):
    help = "Create the demo tenants, users and jobs (safe to run again)."

    def handle(self, *args, **options):
        ensure_public_tenant()
        employers = [self._employer(**spec) for spec in DEMO_EMPLOYERS]
        seeker = self._user(DEMO_SEEKER, first_name="Sam", last_name="Seeker")
        for step in DEMO_STEPS:
            step(employers=employers, seeker=seeker)
        self._print_summary(employers)

    def _user(self, email, **names):
        user, created = get_user_model().objects.get_or_create(email=email, defaults=names)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _employer(self, *, slug, name, owner) -> Tenant:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            with transaction.atomic():
                tenant = provision_tenant(name=name, slug=slug, owner=self._user(owner))
        return tenant

    def _print_summary(self, employers):
        port = 8000
        self.stdout.write(self.style.SUCCESS("JobPilot demo is ready."))
        self.stdout.write(f"  Marketplace:  http://{settings.BASE_DOMAIN}:{port}/")
        for tenant in employers:
            owner = tenant.memberships.get(role="owner").user.email
            self.stdout.write(
                f"  {tenant.name}: http://{tenant_domain_for_slug(tenant.slug)}:{port}/  (owner {owner})"
            )
        self.stdout.write(f"  Seeker:       {DEMO_SEEKER}")
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")


# Each app that has demo data adds a step `step(*, employers, seeker)` here; every step must be idempotent.
DEMO_STEPS: list = []

from jobpilot.jobs.demo import seed_jobs  # noqa: E402 - steps register after the list exists

DEMO_STEPS.append(seed_jobs)
