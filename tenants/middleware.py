from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.selectors import tenant_for_hostname


class TenantMiddleware(TenantMainMiddleware):
    """Resolve the tenant from the Host header (django-tenants), with clean answers for an unknown host (404)
    and a suspended employer (403): an HTML page for people, the API's JSON error shape under /api/."""

    def get_tenant(self, domain_model, hostname):
        tenant = tenant_for_hostname(hostname)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def no_tenant_found(self, request, hostname):
        return _error_response(request, 404, "unknown_host", "There is no JobPilot site at this address.")

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        if not request.tenant.is_active:
            connection.set_schema_to_public()
            return _error_response(
                request, 403, "tenant_suspended", "This careers site is currently unavailable."
            )
        return None


def _error_response(request, status: int, code: str, detail: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    template = "tenants/unknown_host.html" if status == 404 else "tenants/suspended.html"
    return render(request, template, {"detail": detail}, status=status)
