from __future__ import annotations

import logging

from celery import shared_task

from clinic_portal.core.clock import clinic_today
from followups.daily import run_daily

logger = logging.getLogger(__name__)


@shared_task(
    name="followups.run_daily_followups",
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=5,
)
def run_daily_followups() -> dict:
    """Beat calls this once a day; running it again the same day is harmless. The job writes its
    own audit record."""
    summary = run_daily(clinic_today()).as_dict()
    logger.info("daily follow-ups: %s", summary)
    return summary
