"""The Celery app. tenant-schemas-celery stamps each task with the schema it was sent from and switches to it
before the task runs, so a task never touches another tenant's data by accident."""

import os

from django_structlog.celery.steps import DjangoStructLogInitStep
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")

app = CeleryApp("jobpilot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Workers log each task with the id of the request that sent it (jobpilot.core.logs).
app.steps["worker"].add(DjangoStructLogInitStep)
