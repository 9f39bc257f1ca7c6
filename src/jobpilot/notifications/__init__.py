"""Notifications: stored per user in the public schema, pushed live over websockets after commit, emailed by
preference (at once or in a daily digest). Other apps call `services.notify` / `services.notify_tenant_staff`."""
