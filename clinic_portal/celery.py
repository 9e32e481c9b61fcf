"""The Celery app. Its settings live in ``clinic_portal.settings`` under the ``CELERY_`` prefix."""

import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning
from celery.signals import task_postrun, task_prerun

from clinic_portal.env import env_bool

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

if env_bool("DJANGO_DEBUG"):
    # Development containers often run as root; the warning is for servers, where it stays.
    warnings.filterwarnings("ignore", message=".*superuser privileges.*", category=SecurityWarning)

app = Celery("clinic_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(sender=None, **kwargs) -> None:
    """Each task is a request for Django's connection handling: a connection older than
    ``CONN_MAX_AGE``, or one left broken by an error, is replaced; a healthy one is kept, so a
    worker does not open a PostgreSQL connection per task (``CELERY_DB_REUSE_MAX`` keeps
    Celery's own fix-up from closing it). Eager tasks run inside the caller's transaction and are
    left alone, as the fix-up does."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
