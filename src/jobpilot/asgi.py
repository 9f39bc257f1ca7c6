"""ASGI entry point served by daphne: HTTP through Django, websockets under /ws/ through Channels.

Both resolve the tenant from the Host header: HTTP in django-tenants' middleware, websockets in
`tenants.asgi.TenantWebsocketMiddleware`.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
django_asgi_app = get_asgi_application()  # sets Django up before anything below imports models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from jobpilot.core.body_limit import RequestBodyLimit  # noqa: E402
from jobpilot.routing import websocket_urlpatterns  # noqa: E402
from jobpilot.search import follower  # noqa: E402
from tenants.asgi import TenantWebsocketMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestBodyLimit(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            TenantWebsocketMiddleware(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

follower.start()  # this host's search index follows the jobs change log
