"""How an API key looks and how it is recognised: `jp_live_` or `jp_test_` followed by 43 URL-safe characters
(256 random bits). Only the SHA-256 of the whole key is stored: a leaked table gives no usable key, and a hash of
a high-entropy secret needs no slow KDF."""

import hashlib
import secrets

from django.conf import settings

LIVE_PREFIX = "jp_live_"
TEST_PREFIX = "jp_test_"
SHOWN_PREFIX_LENGTH = 12  # "jp_live_" and four characters of the secret: enough to tell keys apart in a list


def key_mode_prefix() -> str:
    """Live keys where Stripe is live; test keys everywhere else (local, CI, staging on Stripe's test mode)."""
    return LIVE_PREFIX if settings.STRIPE_SECRET_KEY.startswith("sk_live_") else TEST_PREFIX


def key_generate() -> str:
    return key_mode_prefix() + secrets.token_urlsafe(32)


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(value: str) -> bool:
    return value.startswith((LIVE_PREFIX, TEST_PREFIX))


def key_from_request(request) -> str | None:
    """The API key the request carries, in `X-API-Key` or as `Authorization: Bearer jp_...`; None without one.
    A bearer token that is not a key (a user's access token) is left to the user auth."""
    header = request.META.get("HTTP_X_API_KEY")
    if header:
        return header.strip()
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and looks_like_key(token):
        return token
    return None
