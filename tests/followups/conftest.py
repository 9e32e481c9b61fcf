import datetime as dt

import pytest

from followups import services
from screening import services as screening_services
from tests.screening.cases import CLEAR


@pytest.fixture
def today():
    from clinic_portal.core.clock import clinic_today

    return clinic_today()


@pytest.fixture
def signed_screening(patient, clinician, today):
    def make(anc_days_before=3, **changes):
        answers = {
            **CLEAR,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "planned_start": today.isoformat(),
            **changes,
        }
        screening = screening_services.start_screening(
            patient=patient,
            actor=clinician,
            answers=answers,
            evaluate_now=True,
            anc_sampled_on=None
            if anc_days_before is None
            else today - dt.timedelta(days=anc_days_before),
        )
        for code in screening.result["review_items"]:
            screening_services.acknowledge_review_item(
                screening=screening, clinician=clinician, code=code, note="Reviewed"
            )
        return screening_services.sign_screening(
            screening=screening, clinician=clinician, not_started_reason="x"
        )

    return make


@pytest.fixture
def therapy(signed_screening, clinician, today):
    screening = signed_screening()
    return services.start_therapy(
        screening=screening, actor=clinician, start_date=today, interval="daily"
    )
