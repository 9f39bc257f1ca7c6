"""Websocket routes (all under /ws/); each app adds its consumers here."""

websocket_urlpatterns: list = []
