"""Accounts: `/api/v1/auth/`. Register, log in (bearer tokens for app clients; the web uses allauth's session),
rotate and revoke refresh tokens, the profile (account names plus the seeker profile, under `seeker`), the
privacy export and account deletion."""

from django.contrib.auth import logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.http import JsonResponse
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from jobpilot.accounts import examples, selectors, services
from jobpilot.accounts.auth import user_auth
from jobpilot.accounts.throttle import RateLimited, client_ip
from jobpilot.core.openapi import schema_example
from jobpilot.core.time_zones import TimeZoneName
from jobpilot.seekers.schemas import SeekerProfileOut, SeekerProfilePatch
from jobpilot.seekers.selectors import seeker_profile_get

router = Router(tags=["auth"])


def rate_limited(request, exc: RateLimited):
    """Exception handler for RateLimited: the error body plus `Retry-After` and `RateLimit-*` headers."""
    response = JsonResponse(exc.as_dict(), status=exc.status)
    for header, value in exc.headers().items():
        response[header] = value
    return response


class EmailField(Schema):
    email: str = Field(..., min_length=3, max_length=254)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        try:
            validate_email(value)
        except DjangoValidationError as error:
            raise ValueError("must be an email address") from error
        return value


class RegisterIn(EmailField):
    model_config = schema_example(examples.REGISTER_IN)

    password: str = Field(..., min_length=1, max_length=128)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class LoginIn(EmailField):
    model_config = schema_example(examples.LOGIN_IN)

    password: str = Field(..., min_length=1, max_length=128)
    # Accounts with two-factor sign-in: the authenticator app's current code, or one of the recovery codes.
    code: str | None = Field(None, min_length=1, max_length=64)


class RefreshIn(Schema):
    model_config = schema_example({"refresh_token": examples.REFRESH_TOKEN})

    refresh_token: str = Field(..., min_length=1, max_length=2000)


class LogoutIn(RefreshIn):
    model_config = schema_example({"refresh_token": examples.REFRESH_TOKEN, "all_devices": False})

    all_devices: bool = False


class PasswordConfirmIn(Schema):
    model_config = schema_example({"password": examples.PASSWORD})

    password: str = Field(..., min_length=1, max_length=128)


class UserOut(Schema):
    model_config = schema_example(examples.USER)

    id: int
    email: str
    first_name: str
    last_name: str
    display_name: str
    email_verified: bool
    time_zone: str  # IANA name; "" until chosen or seen from the browser (dates are then shown in UTC)

    @staticmethod
    def resolve_email_verified(obj) -> bool:
        return selectors.email_verified(obj)


class TokensOut(Schema):
    model_config = schema_example(examples.ROTATED_TOKENS)

    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int


class LoginOut(TokensOut):
    model_config = schema_example(examples.LOGIN)

    user: UserOut


class RegisterOut(Schema):
    model_config = schema_example(examples.REGISTER)

    user: UserOut
    # Tokens are absent when the site requires a confirmed email before signing in (ACCOUNT_EMAIL_VERIFICATION).
    access_token: str | None
    refresh_token: str | None
    token_type: str = "Bearer"
    expires_in: int | None
    email_verification_required: bool


class ProfileOut(UserOut):
    model_config = schema_example(examples.PROFILE)

    date_joined: str
    seeker: SeekerProfileOut

    @staticmethod
    def resolve_date_joined(obj) -> str:
        return obj.date_joined.isoformat()

    @staticmethod
    def resolve_seeker(obj):
        return seeker_profile_get(seeker=obj)


class ProfilePatch(Schema):
    model_config = schema_example(examples.PROFILE_PATCH)

    first_name: str = Field(None, max_length=150)
    last_name: str = Field(None, max_length=150)
    time_zone: TimeZoneName = None  # how interview times are written in notifications and emails
    seeker: SeekerProfilePatch = None


def _tokens(pair: services.TokenPair) -> dict:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "expires_in": pair.expires_in,
    }


@router.post("/register/", response={201: RegisterOut}, auth=None, summary="Create an account")
def register(request, payload: RegisterIn):
    """The account works on the web (allauth) and through the API. Passwords must pass Django's validators."""
    user, pair = services.user_register(
        email=payload.email,
        password=payload.password,
        first_name=payload.first_name,
        last_name=payload.last_name,
        client_ip=client_ip(request),
        request=request,
    )
    if pair is None:
        return Status(
            201,
            {
                "user": user,
                "access_token": None,
                "refresh_token": None,
                "expires_in": None,
                "email_verification_required": True,
            },
        )
    return Status(201, {"user": user, **_tokens(pair), "email_verification_required": False})


@router.post("/login/", response=LoginOut, auth=None, summary="Sign in: email and password to tokens")
def login(request, payload: LoginIn):
    """Throttled per account and per client IP: too many attempts answer 429 with `Retry-After`. An account with
    two-factor sign-in also needs `code` (its authenticator app's code or a recovery code): without it the answer
    is 401 `mfa_required`, with a wrong one 401 `mfa_code_invalid`."""
    user, pair = services.auth_login(
        email=payload.email, password=payload.password, client_ip=client_ip(request), code=payload.code
    )
    return {**_tokens(pair), "user": user}


@router.post("/refresh/", response=TokensOut, auth=None, summary="New tokens for a refresh token (rotating)")
def refresh(request, payload: RefreshIn):
    """Each refresh token works once. Using one twice revokes every refresh token of the account (401)."""
    return _tokens(services.auth_tokens_refresh(refresh_token=payload.refresh_token))


@router.post("/logout/", response={204: None}, auth=None, summary="Revoke a refresh token")
def logout_tokens(request, payload: LogoutIn):
    """`all_devices` revokes every refresh token of the account. Access tokens expire on their own."""
    services.auth_logout(refresh_token=payload.refresh_token, all_devices=payload.all_devices)
    return Status(204, None)


@router.get("/profile/", response=ProfileOut, auth=user_auth, summary="My account and seeker profile")
def profile(request):
    return request.auth


@router.patch(
    "/profile/", response=ProfileOut, auth=user_auth, summary="Update my account and seeker profile"
)
def profile_update(request, payload: ProfilePatch):
    """Only the fields sent change; `seeker.skills` replaces the list. The email address changes on the web."""
    account_changes = payload.model_dump(exclude_unset=True, include={"first_name", "last_name", "time_zone"})
    seeker_changes, skills = payload.seeker.profile_changes() if payload.seeker is not None else ({}, None)
    return services.user_profile_update(
        user=request.auth, account_changes=account_changes, seeker_changes=seeker_changes, skills=skills
    )


@router.delete("/profile/", response={204: None}, auth=user_auth, summary="Delete my account")
def profile_delete(request, payload: PasswordConfirmIn):
    """Needs the password. Tracker, profile and resumes are deleted; employers keep anonymized copies of the
    applications they received."""
    services.user_account_delete(user=request.auth, password=payload.password, client_ip=client_ip(request))
    if request.user.is_authenticated:
        logout(request)
    return Status(204, None)


@router.get(
    "/export/",
    auth=user_auth,
    summary="Download all my data (JSON)",
    openapi_extra={
        "responses": {
            200: {
                "description": "JSON, as an attachment named `jobpilot-my-data.json`.",
                "headers": {
                    "Content-Disposition": {
                        "schema": {"type": "string"},
                        "example": 'attachment; filename="jobpilot-my-data.json"',
                    }
                },
                "content": {
                    "application/json": {
                        "schema": examples.DATA_EXPORT_SCHEMA,
                        "example": examples.DATA_EXPORT,
                    }
                },
            }
        }
    },
)
def export(request):
    response = JsonResponse(
        selectors.user_data_export(user=request.auth),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="jobpilot-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response
