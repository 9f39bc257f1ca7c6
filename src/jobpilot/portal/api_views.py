"""API keys on the web: the API customer's page on the public domain and the employer's in its console (admins).
Keys are created (shown once) with scopes and an expiry, and revoked; usage per key against the plan's quota.
Everything goes through `jobpilot.api` services and selectors, like the JSON endpoints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from billing.errors import FeatureNotInPlan
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from jobpilot.api import selectors, services
from jobpilot.api.models import Scope
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.portal.forms import ApiKeyForm
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import console_page
from tenants.models import Membership

# What each kind of owner may grant: a customer's keys read the marketplace; an employer's may also read its
# applicants (applications:write is reserved and granted nowhere yet).
CUSTOMER_SCOPES = [(Scope.JOBS_READ, "Read the marketplace's jobs (jobs:read)")]
EMPLOYER_SCOPES = [
    (Scope.JOBS_READ, "Read your postings and the marketplace (jobs:read)"),
    (Scope.APPLICATIONS_READ, "Read your applicants (applications:read)"),
]


def api_keys_page(request, *, owner: dict, account, scope_choices, template: str, context: dict):
    """The keys page of either host: list the owner's keys with their usage, create one (its secret shown once)."""
    form = ApiKeyForm(request.POST if request.method == "POST" else None, scope_choices=scope_choices)
    status, created_secret, refused = 200, None, None
    if request.method == "POST":
        if form.is_valid():
            try:
                key, created_secret = services.api_key_create(
                    actor=request.user,
                    account=account,
                    owner=owner,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except FeatureNotInPlan as exc:  # the plan has no API access: said by the plan gate, not the form
                status, refused = exc.status, exc
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(
                    request, f"Key “{key.name}” created. Copy it now: it is shown only this once."
                )
                form = ApiKeyForm(scope_choices=scope_choices)
        else:
            status = 422
    report = selectors.api_usage_report(owner=owner, account=account)
    usage_by_key = {row["key_id"]: row for row in report["keys"]}
    keys = [
        {"key": key, "usage": usage_by_key.get(key.pk, {"requests": 0, "throttled": 0})}
        for key in selectors.api_key_list(owner=owner)
    ]
    return render(
        request,
        template,
        {
            **context,
            "keys": keys,
            "report": report,
            "gate": plan_gate_for(request, account=account, feature=Feature.API_ACCESS),
            "refused": refused,
            "created_secret": created_secret,
            "form": form,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request):
    return api_keys_page(
        request,
        owner={"user": request.user},
        account=billing_account_for_user(request.user, Audience.API),
        scope_choices=CUSTOMER_SCOPES,
        template="portal/seeker/api_keys.html",
        context={"revoke_url_name": "portal:api-key-revoke"},
    )


@never_cache
@login_required
@require_POST
def api_key_revoke(request, key_id: int):
    try:
        key = selectors.api_key_get(owner={"user": request.user}, key_id=key_id)
    except NotFound as exc:
        raise Http404 from exc
    services.api_key_revoke(key=key, actor=request.user)
    messages.success(request, f"Key “{key.name}” revoked; requests with it now get 401.")
    return redirect("portal:api-keys")


# --- The employer's keys, in its console (admins and owners; the employer is the host) ---------------------------


@console_page(Membership.Role.ADMIN)
@require_http_methods(["GET", "POST"])
def console_api_keys(request):
    return api_keys_page(
        request,
        owner={"tenant": request.tenant},
        account=billing_account_for_tenant(request.tenant),
        scope_choices=EMPLOYER_SCOPES,
        template="portal/console/api_keys.html",
        context={"console_section": "api-keys", "revoke_url_name": "portal:console-api-key-revoke"},
    )


@console_page(Membership.Role.ADMIN)
@require_POST
def console_api_key_revoke(request, key_id: int):
    try:
        key = selectors.api_key_get(owner={"tenant": request.tenant}, key_id=key_id)
    except NotFound as exc:
        raise Http404 from exc
    services.api_key_revoke(key=key, actor=request.user)
    messages.success(request, f"Key “{key.name}” revoked; requests with it now get 401.")
    return redirect("portal:console-api-keys")
