"""Writes for accounts: registration, API login with rotating refresh tokens, logout, profile and deletion.

Tokens are django-ninja-jwt's. Every refresh token we issue is recorded (`OutstandingToken`), and a refresh
rotates under a row lock on that record: the presented token is blacklisted and a new one issued, so a token
works once. Presenting a used token again means it was copied: every refresh token of the user is revoked.
"""

from dataclasses import dataclass
from http import HTTPStatus

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from allauth.core import context as allauth_context
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from ninja_jwt.exceptions import TokenBackendError
from ninja_jwt.settings import api_settings as jwt_settings
from ninja_jwt.state import token_backend
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from ninja_jwt.tokens import RefreshToken

from jobpilot.accounts.throttle import password_throttles, registration_throttle
from jobpilot.core.errors import Conflict, DomainError, Invalid, PermissionDenied
from tenants.models import Membership

User = get_user_model()


class AuthenticationFailed(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "not_authenticated"
    detail = "Authentication failed."


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token is valid


def user_lock(user) -> None:
    """SELECT ... FOR UPDATE on the user's row, held until the transaction ends: the per-user mutex that makes
    per-seeker limits (resume count, single default resume, tracker size) hold under concurrent requests."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _issue_tokens(user) -> TokenPair:
    refresh = RefreshToken.for_user(user)  # records the OutstandingToken row that rotation locks
    return TokenPair(
        access_token=str(refresh.access_token),
        refresh_token=str(refresh),
        expires_in=int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
    )


def _refresh_token_claims(token: str) -> dict:
    """Signature, expiry and type of a refresh token; its blacklist state is checked under lock by the caller."""
    try:
        claims = token_backend.decode(token, verify=True)
    except TokenBackendError as error:
        raise AuthenticationFailed(
            "The refresh token is invalid or expired.", code="token_invalid"
        ) from error
    if claims.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh" or not claims.get(jwt_settings.JTI_CLAIM):
        raise AuthenticationFailed("This is not a refresh token.", code="token_invalid")
    return claims


def _revoke_refresh_tokens(user) -> None:
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )


def _email_verification_satisfied(user) -> bool:
    if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.MANDATORY:
        return True
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _check_password_throttled(*, email: str, password: str, client_ip: str):
    """The user for (email, password) or None, counted against the per-account and per-IP limits (429)."""
    per_email, per_ip = password_throttles()
    subject = email.strip().lower()
    per_ip.hit(client_ip)
    per_email.hit(subject)
    user = authenticate(None, email=subject, password=password)
    if user is not None:
        per_email.reset(subject)
        per_ip.give_back(client_ip)
    return user


def _send_confirmation(request, address: EmailAddress) -> None:
    # allauth's adapter finds the request (for the site's host) in its context, which is gone after the response.
    with allauth_context.request_context(request):
        address.send_confirmation(request, signup=True)


# --- Registration and tokens ---------------------------------------------------------------------------------------


def user_register(
    *, email: str, password: str, first_name: str = "", last_name: str = "", client_ip: str, request=None
):
    """Create an account usable on the web (allauth: its primary EmailAddress row) and by the API, and sign it in.
    Returns (user, TokenPair), or (user, None) when a confirmed email is required before the first sign-in.
    Password rules are Django's validators. A verification email goes out after commit unless verification is
    off. Registration is throttled per IP."""
    registration_throttle().hit(client_ip)
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            "An account with this email address already exists.", code="email_taken", field="email"
        )
    candidate = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise Invalid(
            " ".join(error.messages), code="weak_password", field="password", errors=error.messages
        ) from None

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, first_name=candidate.first_name, last_name=candidate.last_name
            )
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            if (
                request is not None
                and allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.NONE
            ):
                transaction.on_commit(lambda: _send_confirmation(request, address))
    except IntegrityError as error:  # a concurrent registration of the same address won
        raise Conflict(
            "An account with this email address already exists.", code="email_taken", field="email"
        ) from error
    # Same signal as a web signup, so apps that set up new accounts (billing, notifications) see API users too.
    user_signed_up.send(sender=User, request=request, user=user)
    if not _email_verification_satisfied(user):
        return user, None
    tokens = _issue_tokens(user)
    update_last_login(None, user)
    return user, tokens


def auth_login(*, email: str, password: str, client_ip: str, code: str | None = None) -> tuple:
    """(user, TokenPair) for a correct email and password, plus the second factor's code when the account has one
    (a TOTP code or a recovery code; 401 `mfa_required` without it). Throttled per account and per IP, and code
    guesses per account."""
    from jobpilot.mfa.services import mfa_login_check

    user = _check_password_throttled(email=email, password=password, client_ip=client_ip)
    if user is None or not user.is_active:
        raise AuthenticationFailed(
            "The email address or password is not correct.", code="invalid_credentials"
        )
    # WARNING: without this a stolen password alone would get tokens for an account protected by MFA on the web.
    mfa_login_check(user=user, code=code)
    if not _email_verification_satisfied(user):
        raise PermissionDenied(
            "Confirm your email address first: we sent you a link.", code="email_unverified"
        )
    tokens = _issue_tokens(user)
    update_last_login(None, user)
    return user, tokens


def auth_tokens_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate: blacklist the presented refresh token and issue a new pair. Locks the token's OutstandingToken row,
    so of two concurrent refreshes with one token exactly one succeeds. A token that was already used revokes all
    of the user's refresh tokens (someone else holds a copy) and answers 401 `token_reused`."""
    claims = _refresh_token_claims(refresh_token)
    reused = False
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(jti=claims[jwt_settings.JTI_CLAIM])
            .first()
        )
        user = outstanding.user if outstanding else None
        if user is None or not user.is_active:
            raise AuthenticationFailed("The refresh token is invalid or expired.", code="token_invalid")
        if BlacklistedToken.objects.filter(token=outstanding).exists():
            _revoke_refresh_tokens(user)
            reused = True
        else:
            BlacklistedToken.objects.create(token=outstanding)
            tokens = _issue_tokens(user)
    if reused:  # raised after commit: the revocation must stick
        raise AuthenticationFailed("This refresh token was already used. Sign in again.", code="token_reused")
    return tokens


@transaction.atomic
def auth_logout(*, refresh_token: str, all_devices: bool = False) -> None:
    """Revoke the refresh token (idempotent), or every refresh token of its user. Access tokens already issued
    stay valid until they expire (ACCESS_TOKEN_LIFETIME, 15 minutes by default)."""
    claims = _refresh_token_claims(refresh_token)
    outstanding = (
        OutstandingToken.objects.select_for_update().filter(jti=claims[jwt_settings.JTI_CLAIM]).first()
    )
    if outstanding is None:
        raise AuthenticationFailed("The refresh token is invalid or expired.", code="token_invalid")
    BlacklistedToken.objects.get_or_create(token=outstanding)
    if all_devices and outstanding.user_id:
        _revoke_refresh_tokens(outstanding.user)


# --- Profile and deletion -------------------------------------------------------------------------------------------


@transaction.atomic
def user_profile_update(*, user, account_changes: dict, seeker_changes: dict, skills: list | None):
    """Names on the account and the seeker profile fields, in one transaction."""
    from jobpilot.seekers.services import seeker_profile_update

    if account_changes:
        for field, value in account_changes.items():
            setattr(user, field, value)
        user.save(update_fields=list(account_changes))
    if seeker_changes or skills is not None:
        seeker_profile_update(seeker=user, changes=seeker_changes, skills=skills)
    return user


def user_account_delete(*, user, password: str, client_ip: str) -> None:
    """Delete the account after confirming the password (throttled like login). In one transaction: the
    employers' copies of the seeker's applications are anonymized, then tracker, profile, resumes, analytics
    events, tokens and the user go; after commit, resume files are removed and the user's Stripe customers closed. Refused while
    the user is the only owner of an employer.
    """
    from billing.services import billing_accounts_close
    from jobpilot.analytics.services import events_erase_for_seeker
    from jobpilot.seekers.services import seeker_data_erase
    from jobpilot.tracker.services import tracker_erase_for_seeker

    if _check_password_throttled(email=user.email, password=password, client_ip=client_ip) is None:
        raise PermissionDenied("The password is not correct.", code="wrong_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        sole_owner_of = [
            membership.tenant.name
            for membership in Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related(
                "tenant"
            )
            if not Membership.objects.filter(tenant=membership.tenant, role=Membership.Role.OWNER)
            .exclude(user=user)
            .exists()
        ]
        if sole_owner_of:
            raise Conflict(
                "You are the only owner of an employer account. Transfer ownership first.",
                code="sole_owner",
                tenants=sole_owner_of,
            )
        billing_accounts_close(user=user)
        tracker_erase_for_seeker(seeker=user)
        seeker_data_erase(seeker=user)
        events_erase_for_seeker(seeker=user)
        OutstandingToken.objects.filter(user=user).delete()  # blacklist rows cascade
        user.delete()
