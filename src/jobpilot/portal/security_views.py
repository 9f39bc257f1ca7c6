"""Console: the employer's sign-in policy ("require two-factor sign-in for all staff"), owners and admins only, with
which members have a second factor. The write is `jobpilot.mfa.services.mfa_policy_set` (audited)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jobpilot.core.errors import DomainError
from jobpilot.mfa.selectors import members_mfa_status, mfa_policy_get, user_has_mfa
from jobpilot.mfa.services import mfa_policy_set
from jobpilot.portal.views import console_page
from tenants.models import Membership


class MfaPolicyForm(forms.Form):
    required = forms.BooleanField(
        required=False,
        label="Require two-factor sign-in for all staff",
        help_text="Members without an authenticator app or security key are sent to set one up before the console "
        "or the employer API opens for them.",
    )


@console_page(Membership.Role.ADMIN)
@require_http_methods(["GET", "POST"])
def mfa_policy(request):
    policy = mfa_policy_get(tenant=request.tenant)
    status = 200
    if request.method == "POST":
        form = MfaPolicyForm(request.POST)
        if form.is_valid():
            try:
                mfa_policy_set(
                    actor=request.user, tenant=request.tenant, required=form.cleaned_data["required"]
                )
            except DomainError as exc:
                form.add_error("required", exc.detail)
                status = exc.status
            else:
                messages.success(
                    request,
                    "Two-factor sign-in is now required for all staff."
                    if form.cleaned_data["required"]
                    else "Two-factor sign-in is now optional for staff.",
                )
                return redirect("portal:console-mfa")
        else:
            status = 422
    else:
        form = MfaPolicyForm(initial={"required": policy.required})
    return render(
        request,
        "portal/console/mfa_policy.html",
        {
            "console_section": "mfa",
            "form": form,
            "policy": policy,
            "members": members_mfa_status(tenant=request.tenant),
            "you_have_mfa": user_has_mfa(request.user),
        },
        status=status,
    )
