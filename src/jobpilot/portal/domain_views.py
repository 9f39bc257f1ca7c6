"""Console: custom domains. An admin claims a host name (a Growth plan feature), publishes the TXT record shown,
and verifies it; only then does the host serve the careers site. The rules live in `tenants.services`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from billing.errors import FeatureNotInPlan
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import console_page
from tenants.models import Membership
from tenants.selectors import domain_list, domain_routing_records
from tenants.services import domain_add, domain_remove, domain_verify


@console_page(Membership.Role.ADMIN)
@require_http_methods(["GET", "POST"])
def console_domains(request):
    status, error, entered = 200, None, ""
    if request.method == "POST":
        entered = request.POST.get("domain", "").strip()
        try:
            domain = domain_add(actor=request.user, tenant=request.tenant, domain=entered)
        except DomainError as exc:
            status, error = exc.status, exc
        else:
            messages.success(request, f"{domain.domain} added. Publish its DNS records, then verify it.")
            return redirect("portal:console-domains")
    account = billing_account_for_tenant(request.tenant)
    return render(
        request,
        "portal/console/domains.html",
        {
            "console_section": "domains",
            "domains": [
                (domain, domain_routing_records(domain) if domain.is_custom else [])
                for domain in domain_list(tenant=request.tenant)
            ],
            "domain_gate": plan_gate_for(request, account=account, feature=Feature.CUSTOM_DOMAIN),
            "plan_refused": error if isinstance(error, FeatureNotInPlan) else None,
            "error": error,
            "entered": entered,
        },
        status=status,
    )


@console_page(Membership.Role.ADMIN)
@require_POST
def console_domain_verify(request, domain_id: int):
    try:
        domain = domain_verify(actor=request.user, tenant=request.tenant, domain_id=domain_id)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{domain.domain} is verified and now serves your careers site.")
    return redirect("portal:console-domains")


@console_page(Membership.Role.ADMIN)
@require_POST
def console_domain_remove(request, domain_id: int):
    try:
        domain_remove(actor=request.user, tenant=request.tenant, domain_id=domain_id)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Domain removed.")
    return redirect("portal:console-domains")
