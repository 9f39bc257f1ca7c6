"""Billing's domain errors. The API answers them as `{"detail", "code", ...extra}` like every DomainError."""

from http import HTTPStatus

from jobpilot.core.errors import Conflict, DomainError


class LimitReached(DomainError):
    """A usage limit of the payer's plan is used up: 402 with metric, limit, used and where to upgrade."""

    status = HTTPStatus.PAYMENT_REQUIRED
    code = "limit_reached"

    def __init__(self, *, metric: str, limit: int, used: int, upgrade_url: str):
        super().__init__(
            f"Your plan allows {limit} {metric.replace('_', ' ')}; upgrade to get more.",
            metric=metric,
            limit=limit,
            used=used,
            upgrade_url=upgrade_url,
        )


class FeatureNotInPlan(DomainError):
    """The payer's plan does not include a feature: 402 with the feature and where to upgrade."""

    status = HTTPStatus.PAYMENT_REQUIRED
    code = "feature_not_in_plan"

    def __init__(self, *, feature: str, upgrade_url: str):
        super().__init__(
            f"Your plan does not include {feature.replace('_', ' ')}; upgrade to use it.",
            feature=feature,
            upgrade_url=upgrade_url,
        )


class BillingNotConfigured(Conflict):
    """No Stripe keys (the development default): plans can only be assigned by an administrator."""

    code = "billing_not_configured"
    detail = "Online billing is not configured on this server; an administrator can assign plans."


class PaymentProviderError(DomainError):
    """Stripe could not be reached or refused a request that should have worked."""

    status = HTTPStatus.BAD_GATEWAY
    code = "payment_provider_error"
    detail = "The payment provider could not complete the request; please try again."


class WebhookSignatureInvalid(DomainError):
    status = HTTPStatus.BAD_REQUEST
    code = "invalid_signature"
    detail = "The webhook signature does not match its payload."
