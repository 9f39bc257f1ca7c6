from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from tenants import routing
        from tenants.models import Domain, Tenant

        for model in (Domain, Tenant):
            post_save.connect(
                routing.forget, sender=model, dispatch_uid=f"routing-forget-save-{model.__name__}"
            )
            post_delete.connect(
                routing.forget, sender=model, dispatch_uid=f"routing-forget-del-{model.__name__}"
            )
        post_migrate.connect(routing.forget, dispatch_uid="routing-forget-migrate")  # flush sends it too
