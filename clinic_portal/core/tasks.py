"""Timed housekeeping. Tasks are thin: they call a service and log what it did."""

from __future__ import annotations

import logging

from celery import shared_task

from clinic_portal.core import services

logger = logging.getLogger(__name__)


@shared_task(name="clinic_portal.core.tasks.run_housekeeping")
def run_housekeeping() -> dict:
    summary = services.run_housekeeping()
    logger.info("housekeeping: %s", summary)
    return summary
