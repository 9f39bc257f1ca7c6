"""Billing's two plain views: Stripe's webhook (public domain only) and the checkout's success redirect."""

import logging
import re
import time

from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing import stripe_gateway
from billing.services import checkout_session_complete, stripe_event_apply
from jobpilot.core.errors import DomainError
from jobpilot.core.metrics import STRIPE_WEBHOOK_LAG_SECONDS

logger = logging.getLogger(__name__)
CHECKOUT_SESSION_ID = re.compile(r"^cs_[A-Za-z0-9_]{1,250}$")


@csrf_exempt  # Stripe cannot send a CSRF token; the signature on the raw body authenticates the request
@require_POST
def stripe_webhook(request):
    """2xx once the event is applied (or known to need nothing); 400 for a bad signature; 502 when Stripe
    could not be read back, so that Stripe retries the delivery."""
    try:
        event = stripe_gateway.webhook_event(request.body, request.headers.get("Stripe-Signature"))
        applied = stripe_event_apply(event=event)
        STRIPE_WEBHOOK_LAG_SECONDS.observe(max(0.0, time.time() - event.get("created", time.time())))
    except DomainError as error:
        if error.status >= 500:
            logger.warning("Stripe webhook not applied, Stripe will retry: %s", error.detail)
        return JsonResponse(error.as_dict(), status=error.status)
    return JsonResponse({"received": True, "applied": applied})


@require_GET
def checkout_return(request):
    """Stripe Checkout sends the payer here after paying: sync the account at once (the webhook would do it
    moments later anyway), then go on to the page the checkout was started from."""
    next_path = request.GET.get("next", "/")
    if not next_path.startswith("/") or not url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):
        next_path = "/"
    session_id = request.GET.get("session_id", "")
    outcome = "pending"
    if CHECKOUT_SESSION_ID.match(session_id):
        try:
            checkout_session_complete(session_id=session_id, tenant=request.tenant)
            outcome = "success"
        except DomainError as error:
            logger.info("Checkout return for %s not synced: %s", session_id, error.detail)
    return HttpResponseRedirect(f"{next_path}?checkout={outcome}")
