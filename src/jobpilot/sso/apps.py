from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "jobpilot.sso"
    label = "sso"
    verbose_name = "Single sign-on per employer"
