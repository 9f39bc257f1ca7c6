from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from billing.services import billing_account_assign_plan, billing_account_override_limits
from jobpilot.core.errors import DomainError
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Put a payer on a plan by hand (works without Stripe: the way to upgrade in local mode), "
        "or set limits for that payer only."
    )

    def add_arguments(self, parser):
        payer = parser.add_mutually_exclusive_group(required=True)
        payer.add_argument("--tenant", help="an employer's slug")
        payer.add_argument("--email", help="a seeker's or API customer's email")
        parser.add_argument("--audience", choices=[Audience.SEEKER, Audience.API], default=Audience.SEEKER)
        parser.add_argument("--plan", help="a plan code, e.g. seeker_pro or employer_growth")
        parser.add_argument(
            "--clear-plan", action="store_true", help="back to the subscription (or free) plan"
        )
        parser.add_argument(
            "--limit", action="append", default=[], metavar="METRIC=N", help="N, or 'unlimited'; repeatable"
        )
        parser.add_argument("--clear-limits", action="store_true")

    def handle(self, *args, tenant, email, audience, plan, clear_plan, limit, clear_limits, **options):
        account = self._account(tenant=tenant, email=email, audience=audience)
        try:
            if plan or clear_plan:
                account = billing_account_assign_plan(
                    actor="manage.py", account=account, plan_code=plan or None
                )
            if limit or clear_limits:
                account = billing_account_override_limits(
                    actor="manage.py", account=account, limits=self._limits(limit), replace=clear_limits
                )
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(
            f"{account}: plan {account.effective_plan().code}, limit overrides {account.limit_overrides or 'none'}"
        )

    def _account(self, *, tenant, email, audience):
        if tenant:
            found = Tenant.objects.filter(slug=tenant).first()
            if found is None or found.is_public:
                raise CommandError(f"No employer {tenant!r}.")
            return billing_account_for_tenant(found)
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user {email!r}.")
        return billing_account_for_user(user, audience)

    def _limits(self, pairs) -> dict:
        limits = {}
        for pair in pairs:
            metric, _, value = pair.partition("=")
            if metric not in {m.value for m in Metric} or not (value.isdigit() or value == "unlimited"):
                raise CommandError(f"Expected METRIC=N or METRIC=unlimited, got {pair!r}.")
            limits[metric] = None if value == "unlimited" else int(value)
        return limits
