"""Pages of the web product. Views stay thin: parse a form, call one service or selector, render.

Hosts: the public site (BASE_DOMAIN) serves the landing page and employer sign-up (`urls_public`); an employer's
host serves its careers portal and, for its members, the console (`urls_tenant`). django-tenants picks the URLconf
from the host, so a tenant page can never be reached on another tenant's host by its path alone.
"""

from functools import wraps
from urllib.parse import quote, urlencode

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm
from allauth.account.utils import complete_signup
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.errors import FeatureNotInPlan
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.core.errors import DomainError, NotFound, PermissionDenied
from jobpilot.mfa.services import MfaSetupRequired
from jobpilot.portal.context_processors import site_of
from jobpilot.portal.forms import BrandingForm, EmployerSignupForm, FooterLinkFormSet
from jobpilot.portal.links import handoff_url, is_local_path, public_url, tenant_url
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.services import employer_signup as employer_signup_service
from jobpilot.portal.services import login_handoff_consume, login_handoff_create
from jobpilot.sso.selectors import sso_connection_for, sso_start_url
from tenants import branding as rules
from tenants.models import Membership
from tenants.permissions import require_member
from tenants.selectors import (
    employer_by_slug,
    invitation_by_token,
    member_list,
    membership_for,
    memberships_of,
    public_tenant,
)
from tenants.services import (
    KEEP,
    branding_update,
    invitation_accept,
    invitation_decline,
    tenant_slug_validate,
)

# --- Public site --------------------------------------------------------------------------------------------------


@require_GET
def landing(request):
    return render(request, "portal/public/landing.html", {"memberships": site_of(request).memberships})


@never_cache
@require_http_methods(["GET", "POST"])
def employer_signup(request):
    """Company + address + (unless signed in) the owner's account; on success the owner lands in the console."""
    signed_in = request.user.is_authenticated
    data = request.POST if request.method == "POST" else None
    company = EmployerSignupForm(data)
    account = None if signed_in else SignupForm(data)
    if request.method == "POST" and company.is_valid() and (account is None or account.is_valid()):
        owner = request.user if signed_in else (lambda: account.save(request))
        try:
            signup = employer_signup_service(
                owner=owner, name=company.cleaned_data["name"], slug=company.cleaned_data["slug"]
            )
        except DomainError as exc:
            _add_domain_error(company, exc)
        else:
            console = handoff_url(request, signup.tenant, signup.handoff_token)
            if signed_in:
                return redirect(console)
            return complete_signup(
                request,
                user=signup.owner,
                email_verification=allauth_settings.EMAIL_VERIFICATION,
                success_url=console,
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request, "portal/public/employer_signup.html", {"company": company, "account": account}, status=status
    )


@require_GET
def employer_address_check(request):
    """htmx: whether the address typed on the sign-up page is free. Answers a status line, never an error page."""
    slug = request.GET.get("slug", "").strip().lower()[:60]
    problem = None
    if slug:
        try:
            tenant_slug_validate(slug=slug)
        except DomainError as exc:
            problem = exc.detail
    return render(request, "portal/public/_address_status.html", {"slug": slug, "problem": problem})


@login_required
@require_POST
def employer_console_open(request, slug: str):
    """Sign the user in on one of their employers' hosts and open its console."""
    membership = memberships_of(request.user).filter(tenant__slug=slug).first()
    if membership is None:
        raise Http404
    token = login_handoff_create(actor=request.user, tenant=membership.tenant)
    return redirect(handoff_url(request, membership.tenant, token))


@require_GET
def continue_to_employer(request):
    """Where an employer host sends a visitor who is not signed in there (`console_page`): signed in here and a
    member of that employer, they go on signed in through a one-time handoff; otherwise they sign in here first,
    or, for people who are not on that team, on the employer's host itself (ADR 0009)."""
    tenant = employer_by_slug(request.GET.get("tenant", "")[:60])
    next_path = request.GET.get("next", "/console/")
    if tenant is None:
        raise Http404
    if not is_local_path(next_path):
        return render(request, "portal/handoff_invalid.html", status=400)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if membership_for(user=request.user, tenant=tenant) is None:
        return redirect(tenant_url(request, tenant, f"{reverse('account_login')}?next={quote(next_path)}"))
    token = login_handoff_create(actor=request.user, tenant=tenant, next_path=next_path)
    return redirect(handoff_url(request, tenant, token))


# --- Any host -----------------------------------------------------------------------------------------------------


@require_GET
def media_file(request, path: str):
    """Branding images stored by the default (file system) storage. Cloud storages serve their own URLs.

    WARNING: only `branding/` is public. Other uploads (resumes!) share the storage and must never be served here.
    """
    if not path.startswith("branding/") or ".." in path.split("/") or not default_storage.exists(path):
        raise Http404
    extension = path.rsplit(".", 1)[-1].lower()
    content_type = {
        "png": "image/png",
        "jpg": "image/jpeg",
        "webp": "image/webp",
        "gif": "image/gif",
        "ico": "image/x-icon",
    }.get(extension)
    if content_type is None:
        raise Http404
    response = FileResponse(default_storage.open(path), content_type=content_type)
    response["Cache-Control"] = (
        "public, max-age=86400"  # names are random per upload, so a new logo is a new URL
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- Employer host: careers portal --------------------------------------------------------------------------------


@never_cache
@require_GET
def handoff(request):
    """Consume a one-time sign-in link made on the public site, sign its user in here, go on to its page.

    The link is single use, bound to this host's tenant and short-lived; the response keeps it out of caches and
    Referer headers. `login()` rotates the session key, so a session planted before cannot be taken over.
    """
    try:
        used = login_handoff_consume(token=request.GET.get("token", ""), tenant=request.tenant)
    except DomainError:
        return render(request, "portal/handoff_invalid.html", status=400)
    login(request, used.user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(used.next_path)
    response["Referrer-Policy"] = "no-referrer"
    return response


PUBLIC_DESTINATIONS = {"tracker": "portal:tracker"}


@require_POST
def to_public(request, destination: str):
    """From an employer's host to a page of the public site, signed in there too when signed in here: a one-time
    handoff made by this POST (CSRF-checked) for the signed-in user, consumed on the public host."""
    if destination not in PUBLIC_DESTINATIONS:
        raise Http404
    path = reverse(PUBLIC_DESTINATIONS[destination], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    if not request.user.is_authenticated:
        return redirect(public_url(request, path))
    token = login_handoff_create(actor=request.user, tenant=public_tenant(), next_path=path)
    handoff_path = reverse("portal:handoff", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return redirect(public_url(request, f"{handoff_path}?token={token}"))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The page an invitation email links to: who invites whom to what, and Accept / Decline. A person without
    an account creates one first (the page links sign-up and sign-in on this host, coming back here)."""
    found = invitation_by_token(token)
    if found is None or found.tenant_id != request.tenant.pk:
        return render(request, "portal/invitation.html", {"invalid": True}, status=404)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                invitation_decline(token=token)
                messages.success(request, f"You declined to join {found.tenant.name}.")
                return redirect("portal:invitation", token=token)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            invitation_accept(user=request.user, token=token)
        except DomainError as exc:
            messages.error(request, exc.detail)
            status = exc.status
        else:
            messages.success(request, f"Welcome to {found.tenant.name}.")
            return redirect("portal:console")
        found.refresh_from_db()
    signed_in_as = request.user.email.lower() if request.user.is_authenticated else None
    return render(
        request,
        "portal/invitation.html",
        {
            "invitation": found,
            "signed_in_as": signed_in_as,
            "has_account": get_user_model().objects.filter(email__iexact=found.email).exists(),
            "next": request.get_full_path(),
        },
        status=status,
    )


# --- Employer host: console ---------------------------------------------------------------------------------------


def console_page(minimum_role: Membership.Role = Membership.Role.VIEWER):
    """Console pages: anonymous -> sign-in page; signed in but not a member -> 404; member without the second
    factor the employer requires -> its setup page; member without the role -> 403. Puts the caller's membership
    on `request.membership`."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if (
                    sso_connection_for(tenant=request.tenant) is not None
                ):  # the employer's IdP first (ADR 0029)
                    return redirect(sso_start_url(request.get_full_path()))
                # Perhaps signed in on the public site: ask there first (it comes back signed in, or to our login).
                query = urlencode({"tenant": request.tenant.slug, "next": request.get_full_path()})
                continue_path = reverse("portal:continue-to-employer", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
                return redirect(public_url(request, f"{continue_path}?{query}"))
            try:
                request.membership = require_member(request, minimum_role)
            except NotFound as exc:
                raise Http404 from exc
            except MfaSetupRequired as exc:
                # The setup pages (allauth's, on this host) stay open: they are not console pages.
                messages.warning(request, exc.detail)
                return redirect("mfa_index")
            except PermissionDenied as exc:
                if exc.code == "sso_required":
                    messages.info(request, exc.detail)
                    return redirect(sso_start_url(request.get_full_path()))
                raise DjangoPermissionDenied(exc.detail) from exc
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorate


@console_page()
@require_GET
def console_overview(request):
    branding = site_of(request).branding
    return render(
        request,
        "portal/console/overview.html",
        {
            "branding": branding,
            "members": member_list(tenant=request.tenant),
            "careers_url": tenant_url(request, request.tenant, "/"),
        },
    )


# The branding form's fields that a plan feature gates. While the plan lacks it they are disabled and held at the
# saved values (sent as hidden inputs): a downgrade keeps what a former plan made (ADR 0003).
GATED_BRANDING_FIELDS = {
    Feature.CUSTOM_BRANDING: ("font", "custom_css_variables"),
    Feature.REMOVE_POWERED_BY: ("show_powered_by",),
}


@console_page(Membership.Role.ADMIN)
@require_http_methods(["GET", "POST"])
def console_branding(request):
    """The form shows the plan's gates before any work: fields the plan lacks are disabled and held at their saved
    values, with the plan that includes them and the upgrade link. A request that changes them anyway is refused
    by `branding_update` (402) and answered with the same notice."""
    branding = site_of(request).branding
    account = billing_account_for_tenant(request.tenant)
    gates = {
        feature: plan_gate_for(request, account=account, feature=feature) for feature in GATED_BRANDING_FIELDS
    }
    refused: FeatureNotInPlan | None = None
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES)
        links = FooterLinkFormSet(request.POST, prefix="links")
        if form.is_valid() and links.is_valid():
            data = form.cleaned_data
            try:
                branding_update(
                    actor=request.user,
                    tenant=request.tenant,
                    primary_color=data["primary_color"],
                    primary_text_color=data["primary_text_color"],
                    accent_color=data["accent_color"],
                    font=data["font"],
                    hero_title=data["hero_title"],
                    hero_text=data["hero_text"],
                    custom_css_variables=data["custom_css_variables"],
                    footer_links=[row for row in links.cleaned_data if row.get("label")],
                    show_powered_by=data["show_powered_by"],
                    logo=None if data["remove_logo"] else (data["logo"] or KEEP),
                    favicon=None if data["remove_favicon"] else (data["favicon"] or KEEP),
                )
            except FeatureNotInPlan as exc:
                refused = exc
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, "Branding saved. Your careers site shows it now.")
                return redirect("portal:console-branding")
        status = 402 if refused else 422
    else:
        form = BrandingForm(initial=BrandingForm.initial_for(branding))
        rows = branding.footer_links + [{}] * 2
        links = FooterLinkFormSet(initial=rows[: rules.MAX_FOOTER_LINKS], prefix="links")
        status = 200
    saved, held = BrandingForm.initial_for(branding), {}
    for feature, names in GATED_BRANDING_FIELDS.items():
        if not gates[feature].open:
            for name in names:
                form.fields[name].widget.attrs["disabled"] = True
                value = saved[name]
                held[name] = ("on" if value else "") if isinstance(value, bool) else value
    return render(
        request,
        "portal/console/branding.html",
        {
            "form": form,
            "color_fields": [form["primary_color"], form["primary_text_color"], form["accent_color"]],
            "links": links,
            "branding": branding,
            "preview": _preview(request.POST or form.initial, branding),
            "careers_url": tenant_url(request, request.tenant, "/"),
            "design_gate": gates[Feature.CUSTOM_BRANDING],
            "powered_by_gate": gates[Feature.REMOVE_POWERED_BY],
            # The refusal is told at the gate it came from.
            "design_refusal": refused if _refused_feature(refused) == Feature.CUSTOM_BRANDING else None,
            "powered_by_refusal": refused if _refused_feature(refused) == Feature.REMOVE_POWERED_BY else None,
            "held_values": held,
        },
        status=status,
    )


def _refused_feature(refused: FeatureNotInPlan | None) -> str:
    return refused.extra.get("feature", "") if refused else ""


@console_page(Membership.Role.ADMIN)
@require_GET
def console_branding_preview(request):
    """htmx: the live preview and contrast checks for the colours being edited (nothing is saved)."""
    branding = site_of(request).branding
    return render(request, "portal/console/_brand_preview.html", {"preview": _preview(request.GET, branding)})


def _preview(values, branding) -> dict:
    def color(name: str) -> str:
        value = (values.get(name) or "").strip()
        return value.lower() if rules.is_hex_color(value) else getattr(branding, name)

    primary, primary_text, accent = color("primary_color"), color("primary_text_color"), color("accent_color")
    pairs = rules.contrast_pairs(primary=primary, primary_text=primary_text, accent=accent)
    for pair in pairs:
        pair["passes"] = pair["ratio"] >= rules.MINIMUM_TEXT_CONTRAST
    font = values.get("font") if values.get("font") in rules.FONT_STACKS else branding.font
    return {
        "primary": primary,
        "primary_text": primary_text,
        "accent": accent,
        "font_stack": rules.FONT_STACKS[font],
        "hero_title": (values.get("hero_title") or "").strip()[:120],
        "pairs": pairs,
        "minimum": rules.MINIMUM_TEXT_CONTRAST,
        "readable_on_accent": rules.readable_text_on(accent),
    }


def _add_domain_error(form, exc: DomainError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.detail)
