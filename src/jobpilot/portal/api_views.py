"""The API customer's page on the public domain: keys (create, shown once; revoke) and usage per key against
the plan's quota. Everything goes through `jobpilot.api` services and selectors, like the JSON endpoints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from billing.entitlements import has_feature
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.api import selectors, services
from jobpilot.api.models import Scope
from jobpilot.core.errors import DomainError, NotFound

CUSTOMER_SCOPES = [Scope.JOBS_READ]  # a customer's keys read the marketplace; applicant scopes are employers'


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request):
    owner = {"user": request.user}
    account = billing_account_for_user(request.user, Audience.API)
    status, error, created_secret = 200, None, None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            status, error = 422, "Give the key a name, e.g. the system that will use it."
        else:
            try:
                key, created_secret = services.api_key_create(
                    actor=request.user, account=account, owner=owner, name=name, scopes=list(CUSTOMER_SCOPES)
                )
            except DomainError as exc:
                status, error = exc.status, exc.detail
            else:
                messages.success(
                    request, f"Key “{key.name}” created. Copy it now: it is shown only this once."
                )
    report = selectors.api_usage_report(owner=owner, account=account)
    usage_by_key = {row["key_id"]: row for row in report["keys"]}
    keys = [
        {"key": key, "usage": usage_by_key.get(key.pk, {"requests": 0, "throttled": 0})}
        for key in selectors.api_key_list(owner=owner)
    ]
    return render(
        request,
        "portal/seeker/api_keys.html",
        {
            "keys": keys,
            "report": report,
            "has_api_access": has_feature(account, Feature.API_ACCESS),
            "created_secret": created_secret,
            "error": error,
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def api_key_revoke(request, key_id: int):
    try:
        key = selectors.api_key_get(owner={"user": request.user}, key_id=key_id)
    except NotFound as exc:
        raise Http404 from exc
    services.api_key_revoke(key=key)
    messages.success(request, f"Key “{key.name}” revoked; requests with it now get 401.")
    return redirect("portal:api-keys")
