from django.apps import AppConfig
from django.db.models.signals import post_delete


def _delete_social_app(sender, instance, **kwargs):
    """A connection gone with its tenant takes its allauth app along (no app outlives its employer)."""
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.filter(pk=instance.app_id).delete()


class SsoConfig(AppConfig):
    name = "jobpilot.sso"
    label = "sso"
    verbose_name = "Single sign-on per employer"

    def ready(self):
        post_delete.connect(
            _delete_social_app, sender="sso.SsoConnection", dispatch_uid="sso-delete-social-app"
        )
