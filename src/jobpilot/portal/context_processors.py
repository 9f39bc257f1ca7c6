from functools import cached_property

from django.conf import settings
from django.utils.safestring import mark_safe

from billing.plans import Feature
from billing.selectors import tenant_plan_features
from jobpilot.notifications.selectors import notification_unread_count
from jobpilot.portal.links import public_url
from tenants import branding as rules
from tenants.models import Membership
from tenants.selectors import branding_for, membership_for, memberships_of


class Site:
    """What every page needs to know about the host it is served on. Lazy: a page that does not ask for the
    branding or the membership costs no query."""

    def __init__(self, request):
        self.request = request
        self.tenant = request.tenant

    @property
    def is_public(self) -> bool:
        return self.tenant.is_public

    @property
    def layout(self) -> str:
        """The layout that shared pages (sign-in, sign-up, password reset) extend on this host."""
        return "portal/layouts/public.html" if self.is_public else "portal/layouts/careers.html"

    @property
    def name(self) -> str:
        return "JobPilot" if self.is_public else self.tenant.name

    @cached_property
    def branding(self):
        return None if self.is_public else branding_for(tenant=self.tenant)

    @cached_property
    def plan_features(self) -> frozenset:
        return frozenset() if self.is_public else tenant_plan_features(self.tenant)

    @property
    def show_powered_by(self) -> bool:
        """Hidden only while the plan includes hiding it: a downgrade brings the line back."""
        return self.branding.show_powered_by or Feature.REMOVE_POWERED_BY not in self.plan_features

    @cached_property
    def membership(self):
        # Console views have checked it already (`console_page` puts it on the request).
        if hasattr(self.request, "membership"):
            return self.request.membership
        return membership_for(user=self.request.user, tenant=self.tenant)

    @property
    def is_admin(self) -> bool:
        return self.membership is not None and self.membership.has_role(Membership.Role.ADMIN)

    @cached_property
    def memberships(self) -> list:
        """The signed-in user's employer seats (for the public site's account menu)."""
        return list(memberships_of(self.request.user))

    @cached_property
    def brand_style(self) -> str:
        """`:root { --brand-…: … }` for this tenant's pages, from validated values only (see tenants.branding)."""
        if self.branding is None:
            return ""
        variables = rules.css_variables(
            self.branding, custom_design=Feature.CUSTOM_BRANDING in self.plan_features
        )
        declarations = "".join(f"{name}:{value};" for name, value in variables.items())
        return mark_safe(f":root{{{declarations}}}")  # noqa: S308 - every value matched a strict grammar

    @cached_property
    def unread_notifications(self) -> int:
        """For the bell in the public site's header (signed-in users only)."""
        if not self.request.user.is_authenticated:
            return 0
        return notification_unread_count(user=self.request.user)

    @cached_property
    def marketplace_url(self) -> str:
        return public_url(self.request, "/")


def site_of(request) -> Site:
    """The request's `Site`, made once: a view and the templates it renders share its queries."""
    if not hasattr(request, "_portal_site"):
        request._portal_site = Site(request)
    return request._portal_site


def site(request) -> dict:
    if getattr(request, "tenant", None) is None:
        return {}
    # Not "site": allauth puts the django.contrib.sites Site there.
    return {"portal": site_of(request), "base_domain": settings.BASE_DOMAIN}
