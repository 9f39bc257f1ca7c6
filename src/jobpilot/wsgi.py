"""WSGI entry point, kept for tools; the product is served over ASGI by daphne (see asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
application = get_wsgi_application()
