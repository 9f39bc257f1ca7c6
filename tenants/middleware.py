from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.selectors import domain_for_hostname, domain_in_plan, tenant_site_origin


class HttpResponseTemporaryRedirect(HttpResponseRedirect):
    status_code = 307  # keeps the method and body, unlike 302


class TenantMiddleware(TenantMainMiddleware):
    """Resolve the tenant from the Host header (django-tenants), with clean answers for an unknown host (404)
    and a suspended employer (403): an HTML page for people, the API's JSON error shape under /api/. A custom
    domain the employer's plan no longer includes redirects to the platform's domain (temporarily: an upgrade
    brings it back)."""

    def get_tenant(self, domain_model, hostname):
        domain = domain_for_hostname(hostname)
        if domain is None:
            raise domain_model.DoesNotExist(hostname)
        tenant = domain.tenant
        tenant.served_on_domain_in_plan = domain_in_plan(domain)
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
        if not request.tenant.served_on_domain_in_plan:
            connection.set_schema_to_public()
            return HttpResponseTemporaryRedirect(tenant_site_origin(request.tenant) + request.get_full_path())
        return None


def _error_response(request, status: int, code: str, detail: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    template = "tenants/unknown_host.html" if status == 404 else "tenants/suspended.html"
    return render(request, template, {"detail": detail}, status=status)
