"""Websocket routes (all under /ws/); each app adds its consumers here."""

from django.urls import path

from jobpilot.notifications.consumers import NotificationConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
