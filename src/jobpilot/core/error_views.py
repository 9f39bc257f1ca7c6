"""Django's error pages, with the API's error shape under `/api/`: an API client never parses an HTML page."""

from django.http import JsonResponse
from django.views import defaults

from jobpilot.core.request_body import API_PREFIX


def not_found(request, exception):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
