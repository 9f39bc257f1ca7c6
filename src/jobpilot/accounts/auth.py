"""How API callers prove who they are. `user_auth` accepts a bearer access token (app clients) or the session
cookie with its CSRF token (the web); either way `request.auth` is the user."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer, SessionAuth
from ninja_jwt.authentication import JWTBaseAuthentication
from ninja_jwt.exceptions import AuthenticationFailed, InvalidToken, TokenError


class AccessTokenAuth(JWTBaseAuthentication, HttpBearer):
    """`Authorization: Bearer <access token>` from POST /api/v1/auth/login/. A bad or expired token is a 401."""

    def authenticate(self, request, token):
        try:
            return self.jwt_authenticate(request, token)
        except (TokenError, InvalidToken, AuthenticationFailed):
            request.user = AnonymousUser()
            return None


def user_from_access_token(token: str):
    """The user an access token belongs to, or None (used by the websocket, which has no Ninja request)."""
    auth = JWTBaseAuthentication()
    try:
        return auth.get_user(auth.get_validated_token(token))
    except (TokenError, InvalidToken, AuthenticationFailed):
        return None


class SignedInSessionAuth(SessionAuth):
    """The web's session cookie, with its CSRF token. The CSRF check guards a signed-in session; a caller with no
    session is simply anonymous (401 `not_authenticated`), not a forged form (403)."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


user_auth = [AccessTokenAuth(), SignedInSessionAuth()]
