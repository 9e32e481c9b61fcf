"""The record's versions and timeline in words: field labels, not column names; "Female", not
``female``; "17 May 1969", not ``1969-05-17``; a person's name, not ``{'id': 3, …}``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patients.choices import Diagnosis, Language, Severity, Sex
from patients.models import Patient, PatientVersion
from patients.services import RECORD_FIELDS

CHOICES = {
    "sex": dict(Sex.choices),
    "preferred_language": dict(Language.choices),
    "diagnosis": dict(Diagnosis.choices),
}
# The record's fields as the form and the versions page name them.
LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "mrn": gettext_lazy("Record number"),
    "phone": gettext_lazy("Phone"),
    "preferred_language": gettext_lazy("Preferred language"),
    "responsible_clinician": gettext_lazy("Responsible rheumatologist"),
    "primary_nurse": gettext_lazy("Primary nurse"),
    "diagnosis": gettext_lazy("Diagnosis"),
    "diagnosis_onset": gettext_lazy("Diagnosis onset"),
    "current_medications": gettext_lazy("Current medications"),
    "no_known_allergies": gettext_lazy("No known allergies"),
    "relevant_conditions": gettext_lazy("Relevant conditions"),
    "notes": gettext_lazy("Notes"),
    "email": gettext_lazy("Email"),
    "allergies": gettext_lazy("Allergies"),
}
ALLERGY_LABELS = {
    "substance": gettext_lazy("Substance"),
    "reaction": gettext_lazy("Reaction"),
    "severity": gettext_lazy("Severity"),
}
ORDER = (*RECORD_FIELDS[:6], "email", *RECORD_FIELDS[6:], "allergies")


def field_label(name: str) -> str:
    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(Patient._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field a later version dropped
        return name.replace("_", " ").capitalize()


def _allergy(entry: dict) -> str:
    code = entry.get("severity", "")
    severity = "" if code in ("", "unknown") else dict(Severity.choices).get(code, code).lower()
    details = ", ".join(part for part in (entry.get("reaction", ""), severity) if part)
    return entry.get("substance", "") + (f" ({details})" if details else "")


def display_value(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in CHOICES:
        return CHOICES[name].get(value, str(value))
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if name == "allergies" and isinstance(value, list):
        return "; ".join(_allergy(entry) for entry in value if isinstance(entry, dict))
    if isinstance(value, str) and name in ("date_of_birth", "diagnosis_onset"):
        try:
            return date_format(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    changed: bool
    before: str = ""


def readable_versions(versions: list[PatientVersion]) -> list[tuple[PatientVersion, list[Row]]]:
    """Each version, newest first, with every field in words and what changed from the one
    before it marked (and its old value)."""
    ordered = sorted(versions, key=lambda v: v.version)
    out = []
    previous: dict | None = None
    for version in ordered:
        names = [n for n in ORDER if n in version.data] + [
            n for n in version.data if n not in ORDER
        ]
        rows = []
        for name in names:
            value = display_value(name, version.data[name])
            before = display_value(name, previous.get(name)) if previous is not None else ""
            changed = previous is not None and previous.get(name) != version.data[name]
            rows.append(Row(field_label(name), value, changed, before if changed else ""))
        out.append((version, rows))
        previous = version.data
    return list(reversed(out))


def changed_labels(changes: dict) -> str:
    """The timeline's "(version 2: phone, notes)" in field labels, lower case."""
    return ", ".join(field_label(name).lower() for name in changes)
