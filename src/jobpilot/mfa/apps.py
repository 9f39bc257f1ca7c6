from django.apps import AppConfig


class MfaPolicyConfig(AppConfig):
    name = "jobpilot.mfa"
    label = "mfa_policy"  # "mfa" is allauth.mfa's label
    verbose_name = "Multi-factor sign-in policy"

    def ready(self):
        from jobpilot.mfa import receivers  # noqa: F401 - connects allauth's authenticator signals
