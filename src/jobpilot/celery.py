"""The Celery app. tenant-schemas-celery stamps each task with the schema it was sent from and switches to it
before the task runs, so a task never touches another tenant's data by accident."""

import os

from celery.signals import worker_process_init
from django_structlog.celery.steps import DjangoStructLogInitStep
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")

app = CeleryApp("jobpilot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Workers log each task with the id of the request that sent it (jobpilot.core.logs).
app.steps["worker"].add(DjangoStructLogInitStep)


@worker_process_init.connect
def _follow_the_search_index(**_kwargs):
    """Each worker process reads this host's search index (alerts, recommendations), so it follows the change
    log too; of several processes one writes at a time (`jobpilot.search.follower`)."""
    from jobpilot.search import follower

    follower.start()
