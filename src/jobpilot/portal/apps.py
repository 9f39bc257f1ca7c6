from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The web product: server-rendered pages (Django templates + htmx) for the marketplace's public site, the
    employers' careers portals and consoles. Holds the project's only templates and views."""

    name = "jobpilot.portal"
    label = "portal"
