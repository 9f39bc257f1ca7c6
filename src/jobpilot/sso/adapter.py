"""allauth's social-account adapter, made tenant-aware for SSO (ADR 0029).

Each employer's IdP is a `SocialApp` in the public schema (allauth's tables are shared). Here an app that belongs
to an employer exists only on that employer's host: on any other host (another employer's, the public site) it is
not listed and its login and callback URLs answer 404, so tenant A's IdP cannot sign anyone in on tenant B."""

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from jobpilot.sso import selectors, services
from jobpilot.sso.models import SsoConnection


def _refused(request, detail: str):
    return ImmediateHttpResponse(render(request, "sso/refused.html", {"detail": detail}, status=403))


class SsoSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        request = request or context.request
        tenant = getattr(request, "tenant", None)
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        owned = dict(
            SsoConnection.objects.filter(app__in=[app.pk for app in apps if app.pk]).values_list(
                "app_id", "tenant_id"
            )
        )
        # Apps from settings (no pk) and apps no employer owns are the platform's; an employer's only on its host.
        return [
            app for app in apps if app.pk not in owned or (tenant is not None and owned[app.pk] == tenant.pk)
        ]

    def _connection(self, sociallogin) -> SsoConnection | None:
        return selectors.sso_connection_for_provider(sociallogin.account.provider)

    def pre_social_login(self, request, sociallogin):
        connection = self._connection(sociallogin)
        if connection is None:
            return super().pre_social_login(request, sociallogin)
        try:
            services.sso_sign_in_check(request=request, sociallogin=sociallogin, connection=connection)
        except services.SsoRefused as refusal:
            raise _refused(request, refusal.detail) from refusal

    def is_auto_signup_allowed(self, request, sociallogin):
        # The employer's IdP vouches for the address: no sign-up form (the check above already ruled on it).
        if self._connection(sociallogin) is not None:
            return True
        return super().is_auto_signup_allowed(request, sociallogin)

    def is_email_verified(self, provider, email):
        connection = selectors.sso_connection_for_provider(provider.sub_id)
        if connection is not None:
            return connection.allows_email(email)
        return super().is_email_verified(provider, email)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        connection = self._connection(sociallogin)
        if connection is not None:
            try:
                services.sso_member_join(user=user, connection=connection)
            except services.SsoRefused as refusal:
                raise _refused(request, refusal.detail) from refusal
        return user
