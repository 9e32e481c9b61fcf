"""Demo diary for ``seed_demo``: teaching done and two weeks of injections, so the diary, the
record section and the README tour have something to show. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from treatment import core, selectors, services


def seed_demo_diary(patient, nurse, *, today: dt.date) -> None:
    therapy = selectors.current_course(patient)
    if therapy is None or selectors.teaching_done(therapy) is not None:
        return
    services.record_injection_teaching(
        therapy=therapy, nurse=nurse, taught_on=therapy.start_date, today=today
    )
    now = timezone.localtime()
    recent: list[str] = []
    for days_ago in range(13, 0, -1):
        day = today - dt.timedelta(days=days_ago)
        if days_ago == 6:
            services.log_missed_dose(
                patient=patient, therapy=therapy, day=day, reason="forgot", today=today
            )
            continue
        site = core.suggest_site(recent)
        entry = services.log_injection(
            patient=patient,
            therapy=therapy,
            day=day,
            time=dt.time(8, 30),
            site=site.value,
            reaction="mild" if days_ago == 9 else "none",
            now=now,
            today=today,
        )
        recent.insert(0, entry.site)
