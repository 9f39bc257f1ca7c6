"""Console: webhooks (admins and owners). Endpoints and their secrets, the delivery log with each attempt's answer,
and a redeliver button. The rules live in `jobpilot.webhooks.services`; a signing secret is shown in the answer
to the request that made it, never put in a message or a redirect."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.errors import FeatureNotInPlan
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.portal.console_forms import WebhookEndpointForm
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import _add_domain_error, console_page
from jobpilot.webhooks import selectors, services
from jobpilot.webhooks.models import WebhookDelivery
from tenants.models import Membership

ADMIN = Membership.Role.ADMIN
LOG_PAGE_SIZE = 25


def _plan_context(request, refused: DomainError | None = None) -> dict:
    """The webhooks plan gate (`portal/partials/plan_gate.html`), and the refusal of a request sent past it."""
    gate = plan_gate_for(
        request, account=billing_account_for_tenant(request.tenant), feature=Feature.WEBHOOKS
    )
    return {"webhooks_gate": gate, "plan_refused": refused if isinstance(refused, FeatureNotInPlan) else None}


def _endpoint(endpoint_id: int):
    try:
        return selectors.webhook_endpoint_get(endpoint_id=endpoint_id)
    except NotFound as exc:
        raise Http404 from exc


@console_page(ADMIN)
@require_http_methods(["GET", "POST"])
def webhooks(request):
    form = WebhookEndpointForm(
        request.POST if request.method == "POST" else None, initial={"is_active": True}
    )
    status, refused = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                endpoint = services.webhook_endpoint_create(actor=request.user, **form.cleaned_data)
            except FeatureNotInPlan as exc:
                status, refused = exc.status, exc
            except DomainError as exc:
                _add_domain_error(form, exc)
                status = exc.status
            else:
                return _endpoint_page(request, endpoint, new_secret=endpoint.secret, status=201)
        else:
            status = 422
    return render(
        request,
        "portal/console/webhooks/list.html",
        {
            "console_section": "webhooks",
            "endpoints": selectors.webhook_endpoint_list(),
            "form": form,
            **_plan_context(request, refused),
        },
        status=status,
    )


def _endpoint_page(
    request,
    endpoint,
    *,
    form=None,
    new_secret: str = "",
    status: int = 200,
    refused: DomainError | None = None,
):
    chosen = request.GET.get("status", "")
    if chosen not in WebhookDelivery.Status.values:
        chosen = ""
    log = Paginator(
        selectors.webhook_delivery_list(endpoint_id=endpoint.pk, status=chosen or None), LOG_PAGE_SIZE
    )
    return render(
        request,
        "portal/console/webhooks/endpoint.html",
        {
            "console_section": "webhooks",
            "endpoint": endpoint,
            "form": form or WebhookEndpointForm(initial=WebhookEndpointForm.initial_for(endpoint)),
            "new_secret": new_secret,
            "deliveries": log.get_page(request.GET.get("page")),
            "statuses": WebhookDelivery.Status.choices,
            "chosen_status": chosen,
            **_plan_context(request, refused),
        },
        status=status,
    )


@console_page(ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_endpoint(request, endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    if request.method == "GET":
        return _endpoint_page(request, endpoint)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            services.webhook_endpoint_update(
                actor=request.user, endpoint_id=endpoint.pk, changes=form.cleaned_data
            )
        except FeatureNotInPlan as exc:
            return _endpoint_page(request, endpoint, form=form, status=exc.status, refused=exc)
        except DomainError as exc:
            _add_domain_error(form, exc)
            return _endpoint_page(request, endpoint, form=form, status=exc.status)
        messages.success(request, "Endpoint saved.")
        return redirect("portal:console-webhook", endpoint_id=endpoint.pk)
    return _endpoint_page(request, endpoint, form=form, status=422)


@console_page(ADMIN)
@require_POST
def webhook_endpoint_action(request, endpoint_id: int, action: str):
    """`rotate` (answers the page with the new secret), `ping` and `delete`."""
    endpoint = _endpoint(endpoint_id)
    try:
        if action == "rotate":
            hours = request.POST.get("previous_secret_valid_hours", "24")
            endpoint = services.webhook_endpoint_rotate_secret(
                actor=request.user,
                endpoint_id=endpoint.pk,
                previous_valid_hours=int(hours) if hours.isdigit() else -1,
            )
            return _endpoint_page(request, endpoint, new_secret=endpoint.secret)
        if action == "ping":
            services.webhook_endpoint_ping(actor=request.user, endpoint_id=endpoint.pk)
            messages.success(request, "Test event queued; it shows in the log below.")
        elif action == "delete":
            services.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint.pk)
            messages.success(request, "Endpoint deleted.")
            return redirect("portal:console-webhooks")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("portal:console-webhook", endpoint_id=endpoint.pk)


@console_page(ADMIN)
@require_GET
def webhook_delivery(request, delivery_id: int):
    try:
        delivery = selectors.webhook_delivery_get(delivery_id=delivery_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "portal/console/webhooks/delivery.html",
        {"console_section": "webhooks", "delivery": delivery, "attempts": list(delivery.attempts.all())},
    )


@console_page(ADMIN)
@require_POST
def webhook_delivery_redeliver(request, delivery_id: int):
    """Redeliver; with htmx the answer is the log row again, otherwise back to the endpoint's log."""
    try:
        delivery = services.webhook_delivery_redeliver(actor=request.user, delivery_id=delivery_id)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        if request.htmx:
            delivery = selectors.webhook_delivery_get(delivery_id=delivery_id)
            return render(
                request,
                "portal/console/webhooks/_delivery_row.html",
                {"delivery": delivery, "error": exc.detail},
            )
        messages.error(request, exc.detail)
        return redirect(
            "portal:console-webhook",
            endpoint_id=selectors.webhook_delivery_get(delivery_id=delivery_id).endpoint_id,
        )
    delivery = selectors.webhook_delivery_get(delivery_id=delivery.pk)  # as the attempt after commit left it
    if request.htmx:
        return render(request, "portal/console/webhooks/_delivery_row.html", {"delivery": delivery})
    messages.success(request, "Redelivery queued.")
    return redirect("portal:console-webhook", endpoint_id=delivery.endpoint_id)
