"""The Celery app. Its settings live in ``clinic_portal.settings`` under the ``CELERY_`` prefix."""

import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning

from clinic_portal.env import env_bool

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

if env_bool("DJANGO_DEBUG"):
    # Development containers often run as root; the warning is for servers, where it stays.
    warnings.filterwarnings("ignore", message=".*superuser privileges.*", category=SecurityWarning)

app = Celery("clinic_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
