"""The search parameters each resource type takes, for the views and the CapabilityStatement."""

SEARCH_DOCS = {
    "Patient": [
        ("identifier", "token", "Record number; system is <site>/fhir/sid/mrn"),
        ("_id", "token", "Patient id"),
    ],
    "Observation": [
        ("patient", "reference", "Required"),
        ("code", "token", "LOINC 751-8 (also 26499-4, 753-4); all counts are 751-8 in 10*9/L"),
    ],
    "Immunization": [("patient", "reference", "Required")],
    "MedicationStatement": [("patient", "reference", "Required; the Kineret courses")],
    "QuestionnaireResponse": [("patient", "reference", "Required; signed screenings")],
    "Flag": [("patient", "reference", "Required"), ("status", "token", "active or inactive")],
}
