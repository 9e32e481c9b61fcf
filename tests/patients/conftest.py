import pytest


@pytest.fixture
def enrollment_data(clinician, nurse):
    """A complete, valid enrollment form as a browser would post it."""
    return {
        "given_name": "Rosa",
        "family_name": "Quintero",
        "date_of_birth": "1969-05-17",
        "sex": "female",
        "mrn": "rq-10 442",
        "email": "Rosa.Q@test.clinic.invalid",
        "phone": "+44 20 7946 0999",
        "preferred_language": "es",
        "responsible_clinician": str(clinician.pk),
        "primary_nurse": str(nurse.pk),
        "diagnosis": "rheumatoid_arthritis",
        "diagnosis_onset": "2019-02-01",
        "current_medications": "Methotrexate 20 mg weekly\nFolic acid 5 mg weekly",
        "relevant_conditions": "",
        "notes": "",
        "allergies-TOTAL_FORMS": "2",
        "allergies-INITIAL_FORMS": "0",
        "allergies-MIN_NUM_FORMS": "0",
        "allergies-MAX_NUM_FORMS": "1000",
        "allergies-0-substance": "Latex",
        "allergies-0-reaction": "Hives",
        "allergies-0-severity": "moderate",
        "allergies-1-substance": "",
        "allergies-1-reaction": "",
        "allergies-1-severity": "unknown",
    }
