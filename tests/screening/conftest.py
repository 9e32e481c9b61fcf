import datetime as dt

import pytest

from screening import services
from tests.screening.cases import CLEAR


def form_data(answers: dict) -> dict:
    """A screening's answers as the browser posts them."""
    data = {}
    for name, value in answers.items():
        if name == "no_known_allergies":  # a checkbox: posted only when ticked
            if value:
                data[name] = "on"
        elif value is True:
            data[name] = "yes"
        elif value is False:
            data[name] = "no"
        elif value is None:
            data[name] = ""
        elif name == "medications":
            data[name] = "\n".join(value)
            data["medications_none"] = "on" if not value else ""
        elif name in ("recent_vaccines", "planned_vaccines"):
            data[name] = "\n".join(f"{v['name']}, {v['date']}" for v in value)
        else:
            data[name] = str(value)
    return data


@pytest.fixture
def answers(patient, today):
    """Complete answers for the persona patient, starting in a week."""
    return {
        **CLEAR,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "planned_start": (today + dt.timedelta(days=7)).isoformat(),
    }


@pytest.fixture
def make_screening(patient, clinician, today):
    def make(answers, *, evaluate=True, actor=None):
        return services.start_screening(
            patient=patient,
            actor=actor or clinician,
            answers=answers,
            evaluate_now=evaluate,
            today=today,
        )

    return make
