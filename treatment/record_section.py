"""The patient record's "Kineret diary and response" section for staff."""

from __future__ import annotations

import datetime as dt

from clinic_portal.audit import audit
from treatment import selectors


def treatment_section(patient, user, today: dt.date) -> dict:
    # The record page audits its own read; the diary is named too, since only the patient
    # writes it and they can see who read it.
    audit.record_read("treatment.diary", patients=[patient])
    return {
        "diary": selectors.staff_diary(patient, today),
        "trend": selectors.cdai_trend(patient),
        "is_clinician": getattr(user, "role", "") == "clinician",
    }
