"""Console: the employer's ATS boards (admins and owners). Connect a Greenhouse, Lever or Ashby board, sync it now,
pause or disconnect it, and see each sync's counts and problems: how many jobs wait as drafts because the plan's
active-postings limit is reached, with the way to upgrade. The rules live in `jobpilot.atsync.services`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from billing.entitlements import has_feature, limit_for, used_for
from billing.plans import Feature, Metric
from billing.selectors import billing_account_for_tenant, upgrade_url_for
from jobpilot.atsync import selectors, services
from jobpilot.atsync.services import board_url
from jobpilot.core.errors import DomainError
from jobpilot.portal.console_forms import AtsConnectionForm
from jobpilot.portal.views import _add_domain_error, console_page
from tenants.models import Membership

ADMIN = Membership.Role.ADMIN
MAX_ID = 2**63 - 1  # beyond a bigint the database would refuse the lookup


def _page(request, form, *, status: int = 200):
    account = billing_account_for_tenant(request.tenant)
    connections = []
    for connection in selectors.ats_connection_list():
        connections.append(
            {
                "connection": connection,
                "url": board_url(connection),
                "postings": selectors.ats_connection_posting_counts(connection_id=connection.pk),
                "counts": connection.last_counts,
            }
        )
    return render(
        request,
        "portal/console/ats/page.html",
        {
            "console_section": "ats",
            "connections": connections,
            "form": form,
            "has_plan": has_feature(account, Feature.ATS_SYNC),
            "upgrade_url": upgrade_url_for(account),
            "postings_limit": limit_for(account, Metric.ACTIVE_POSTINGS),
            "postings_used": used_for(account, Metric.ACTIVE_POSTINGS),
        },
        status=status,
    )


@console_page(ADMIN)
@require_http_methods(["GET", "POST"])
def ats_connections(request):
    form = AtsConnectionForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        connection = services.ats_connection_create(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        _add_domain_error(form, exc)
        return _page(request, form, status=exc.status)
    messages.success(request, f"Connected {connection}. Its jobs are being synced now.")
    return redirect("portal:console-ats")


ACTIONS = ("sync", "pause", "resume", "disconnect")


@console_page(ADMIN)
@require_POST
def ats_connection_action(request, connection_id: int, action: str):
    if action not in ACTIONS or connection_id > MAX_ID:
        raise Http404
    try:
        connection = selectors.ats_connection_get(connection_id=connection_id)
    except DomainError as exc:
        raise Http404 from exc
    try:
        if action == "sync":
            services.ats_connection_sync_request(actor=request.user, connection_id=connection.pk)
            messages.success(request, "Sync started. Reload in a minute to see what it found.")
        elif action in ("pause", "resume"):
            services.ats_connection_update(
                actor=request.user, connection_id=connection.pk, enabled=action == "resume"
            )
            messages.success(request, "Syncing is on." if action == "resume" else "Syncing is paused.")
        else:
            closed = services.ats_connection_delete(actor=request.user, connection_id=connection.pk)
            messages.success(
                request,
                f"Disconnected. {closed} published job{'s' if closed != 1 else ''} closed; its jobs are now "
                "ordinary postings you can edit.",
            )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("portal:console-ats")
