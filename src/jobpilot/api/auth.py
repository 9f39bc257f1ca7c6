"""The Ninja auth for endpoints only API keys may call. The key itself was checked (valid, rate limit, quota) by
`jobpilot.api.middleware.ApiKeyMiddleware`; this checks that there is one and that it holds the scope."""

from ninja.security import APIKeyHeader

from jobpilot.api.models import Scope
from jobpilot.core.errors import PermissionDenied


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: jp_live_...` (or `Authorization: Bearer jp_live_...`). `request.auth` is the `ApiKey`."""

    param_name = "X-API-Key"

    def __init__(self, scope: Scope, *, tenant_key: bool = False):
        self.scope = scope
        self.tenant_key = tenant_key
        super().__init__()

    def __call__(self, request):
        key = getattr(request, "api_key", None)
        if key is None:
            return None  # 401
        if self.tenant_key and key.tenant_id is None:
            raise PermissionDenied("This needs an employer's API key.", code="tenant_key_required")
        if self.scope not in key.scopes:
            raise PermissionDenied(f"This key lacks the {self.scope} scope.", code="scope_missing")
        return key

    def authenticate(self, request, key):  # required by the base class; __call__ replaces the flow
        return None
