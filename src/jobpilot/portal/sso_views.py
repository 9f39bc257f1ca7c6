"""Single sign-on pages (ADR 0029): the console's SSO settings (owners and admins; the Enterprise plan) and the
employer host's "Sign in with single sign-on" page. The rules live in `jobpilot.sso.services`; the protocol runs
in allauth's provider views under /accounts/."""

from allauth.socialaccount.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.errors import FeatureNotInPlan
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.portal.links import is_local_path, public_url
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import _add_domain_error, console_page
from jobpilot.sso import selectors, services
from jobpilot.sso.models import SsoConnection
from tenants.models import Membership

ROLE_CHOICES = [(role.value, role.label) for role in SsoConnection.JIT_ROLES]


class _PolicyFields(forms.Form):
    email_domains = forms.CharField(
        max_length=1000,
        help_text="People signing in with an address in these domains join your team (comma-separated).",
    )
    default_role = forms.ChoiceField(
        choices=ROLE_CHOICES, initial=Membership.Role.VIEWER, label="New members' role"
    )
    require_sso = forms.BooleanField(
        required=False,
        label="Require single sign-on for staff",
        help_text="Password sign-in then opens the console for owners only (your way in if the IdP is down).",
    )


class OidcForm(_PolicyFields):
    issuer = forms.URLField(
        max_length=500, assume_scheme="https", help_text="We read its discovery document."
    )
    client_id = forms.CharField(max_length=191, label="Client id")
    client_secret = forms.CharField(
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored, never shown again. Leave blank to keep the saved one.",
    )


class SamlForm(_PolicyFields):
    metadata_url = forms.URLField(
        max_length=500, required=False, assume_scheme="https", label="IdP metadata URL"
    )
    metadata_xml = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), label="…or the IdP metadata XML"
    )
    entity_id = forms.CharField(
        max_length=500,
        required=False,
        label="IdP entity id",
        help_text="Needed when the metadata names several.",
    )


FORMS = {SsoConnection.Protocol.OIDC: OidcForm, SsoConnection.Protocol.SAML: SamlForm}


def _initial(connection: SsoConnection | None, protocol: str) -> dict:
    if connection is None or connection.protocol != protocol:
        return {}
    initial = {
        "email_domains": ", ".join(connection.email_domains),
        "default_role": connection.default_role,
        "require_sso": connection.require_sso,
    }
    if protocol == SsoConnection.Protocol.OIDC:
        initial |= {
            "issuer": connection.app.settings.get("server_url", ""),
            "client_id": connection.app.client_id,
        }
    else:
        idp = connection.app.settings.get("idp", {})
        initial |= {"metadata_url": connection.metadata_url, "entity_id": idp.get("entity_id", "")}
    return initial


def _service_provider_details(request) -> dict:
    """What the employer's IdP needs to know about JobPilot (redirect URI; SAML ACS and entity id)."""
    provider_id = SsoConnection.provider_id_for(request.tenant)
    return {
        "redirect_uri": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
        ),
        "acs_url": request.build_absolute_uri(reverse("saml_acs", args=[provider_id])),
        "sp_entity_id": request.build_absolute_uri(reverse("saml_metadata", args=[provider_id])),
    }


@console_page(Membership.Role.ADMIN)
@require_http_methods(["GET", "POST"])
def console_sso(request):
    connection = selectors.sso_connection_for(tenant=request.tenant)
    protocol = (
        request.POST.get("protocol")
        or request.GET.get("protocol")
        or (connection.protocol if connection else SsoConnection.Protocol.OIDC)
    )
    if protocol not in FORMS:
        protocol = SsoConnection.Protocol.OIDC
    forms_by_protocol = {name: form(initial=_initial(connection, name)) for name, form in FORMS.items()}
    status, refused = 200, None
    if request.method == "POST":
        form = FORMS[protocol](request.POST)
        forms_by_protocol[protocol] = form
        if form.is_valid():
            save = (
                services.sso_oidc_save if protocol == SsoConnection.Protocol.OIDC else services.sso_saml_save
            )
            try:
                save(actor=request.user, tenant=request.tenant, **form.cleaned_data)
            except FeatureNotInPlan as exc:
                status, refused = exc.status, exc
            except DomainError as exc:
                _add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "Single sign-on saved.")
                return redirect("portal:console-sso")
        else:
            status = 422
    return render(
        request,
        "portal/console/sso.html",
        {
            "console_section": "sso",
            "connection": connection,
            "protocol": protocol,
            "oidc_form": forms_by_protocol[SsoConnection.Protocol.OIDC],
            "saml_form": forms_by_protocol[SsoConnection.Protocol.SAML],
            "sso_gate": plan_gate_for(
                request, account=billing_account_for_tenant(request.tenant), feature=Feature.SSO
            ),
            "plan_refused": refused,
            **_service_provider_details(request),
        },
        status=status,
    )


@console_page(Membership.Role.ADMIN)
@require_POST
def console_sso_remove(request):
    try:
        services.sso_connection_remove(actor=request.user, tenant=request.tenant)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, "Single sign-on is off: your team signs in with passwords.")
    return redirect("portal:console-sso")


@never_cache
@require_GET
def sso_start(request):
    """The employer host's SSO sign-in page: a button that POSTs to allauth's provider login (which redirects to
    the IdP), and, for owners, the password way in."""
    connection = selectors.sso_connection_for(tenant=request.tenant)
    if connection is None:
        raise Http404
    next_path = request.GET.get("next", "")
    if not is_local_path(next_path):
        next_path = reverse("portal:console")
    provider = get_adapter(request).get_provider(request, connection.provider_id)
    continue_path = reverse("portal:continue-to-employer", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    password_url = public_url(
        request, f"{continue_path}?{urlencode({'tenant': request.tenant.slug, 'next': next_path})}"
    )
    return render(
        request,
        "sso/start.html",
        {
            "connection": connection,
            "login_url": provider.get_login_url(request, process="login", next=next_path),
            "password_url": password_url,
        },
    )
