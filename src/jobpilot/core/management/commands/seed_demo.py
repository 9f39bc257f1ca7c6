"""Demo data for a local run: the public site, two branded employers with owners, a seeker. Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from billing.demo import billing_demo_step
from jobpilot.applications.demo import seed_applications_demo
from jobpilot.jobs.demo import seed_jobs
from jobpilot.notifications.demo import seed_notifications
from jobpilot.tracker.demo import seed_seeker_demo
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
DEMO_STEPS: list = [
    billing_demo_step,
    seed_jobs,
    seed_seeker_demo,
    seed_notifications,
    seed_applications_demo,
]


def _brand_demo_employers(*, employers, seeker):
    from tenants.services import branding_update

    looks = {
        "acme": {
            "primary_color": "#c2410c",
            "accent_color": "#1d4ed8",
            "font": "geometric",
            "hero_title": "Build the robots that build the future",
            "hero_text": "Acme Robotics designs warehouse robots in Lisbon and Berlin. Join 120 engineers, designers "
            "and operators.",
        },
        "globex": {
            "primary_color": "#166534",
            "accent_color": "#166534",
            "font": "humanist",
            "hero_title": "Power the energy transition with Globex",
            "hero_text": "Wind, solar and storage projects on three continents.",
        },
    }
    for tenant in employers:
        if tenant.slug in looks:
            owner = tenant.memberships.get(role="owner").user
            branding_update(actor=owner, tenant=tenant, primary_text_color="#ffffff", **looks[tenant.slug])


DEMO_STEPS.append(_brand_demo_employers)
