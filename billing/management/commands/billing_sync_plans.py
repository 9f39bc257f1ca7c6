from django.core.management.base import BaseCommand, CommandError

from billing import stripe_gateway
from billing.plans import PLANS
from jobpilot.core.errors import DomainError


class Command(BaseCommand):
    help = "Create the catalogue's Products and Prices in Stripe (found by lookup_key; safe to run again)."

    def handle(self, *args, **options):
        if not stripe_gateway.is_configured():
            raise CommandError(
                "STRIPE_SECRET_KEY is not set: billing runs in local mode, there is nothing to sync."
            )
        try:
            for plan in PLANS:
                if plan.is_free:
                    continue
                product_id, created = stripe_gateway.product_ensure(plan)
                self.stdout.write(f"product {product_id}: {'created' if created else 'exists'}")
                for interval in plan.prices:
                    price_id, outcome = stripe_gateway.price_ensure(plan, interval, product_id)
                    self.stdout.write(f"  price {plan.lookup_key(interval)} -> {price_id}: {outcome}")
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(self.style.SUCCESS("Stripe has every plan of the catalogue."))
