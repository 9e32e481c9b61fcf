"""A report's answers as people read them: labels, units and dates, not stored keys.

Shown to the patient and to staff, each in their own language: the stored answers are keys
("yes", "headache"), and the words are looked up when the page is drawn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.urgency import NOT_MEASURED

LABELS = {
    "measured": gettext_lazy("Measured"),
    "temperature": gettext_lazy("Temperature"),
    "since": gettext_lazy("Since"),
    "where": gettext_lazy("What and where"),
    "antibiotic": gettext_lazy("Antibiotic"),
    "prescriber": gettext_lazy("Prescribed by"),
    "started": gettext_lazy("Started"),
    "procedure": gettext_lazy("Procedure"),
    "date": gettext_lazy("Date"),
    "vaccine": gettext_lazy("Vaccine"),
    "which": gettext_lazy("Pregnancy"),
    "symptom": gettext_lazy("Symptom"),
    "severity": gettext_lazy("How bad"),
    "getting_worse": gettext_lazy("Getting worse"),
    "fever": gettext_lazy("Fever as well"),
}
DATES = {"since", "started", "date"}
# The answers chosen from a list, in the words the form offered (portal.forms).
CHOSEN = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "pregnant": gettext_lazy("I am pregnant"),
    "maybe": gettext_lazy("I think I might be pregnant"),
    "headache": gettext_lazy("Headache"),
    "nausea": gettext_lazy("Feeling sick (nausea)"),
    "diarrhoea": gettext_lazy("Diarrhoea"),
    "stomach_pain": gettext_lazy("Stomach pain"),
    "flu_like": gettext_lazy("Feeling like I have flu"),
    "other": gettext_lazy("Something else"),
    "mild": gettext_lazy("Mild: I can do my usual things"),
    "moderate": gettext_lazy("Moderate: it gets in the way"),
    "severe": gettext_lazy("Severe: I cannot do my usual things"),
}
CHOICE_KEYS = {"which", "symptom", "severity", "getting_worse", "fever"}


def _value(key: str, value) -> str:
    if key == "measured":
        return _("No, feels feverish (not measured)") if value == NOT_MEASURED else _("Yes")
    if key == "temperature":
        try:
            return f"{number_format(Decimal(str(value)), decimal_pos=1)} °C"
        except InvalidOperation:
            return str(value)
    if key in DATES:
        try:
            return date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if key in CHOICE_KEYS and value in CHOSEN:
        return str(CHOSEN[value])
    return str(value)


def detail_rows(details: dict) -> list[tuple[str, str]]:
    """``[(label, value), …]`` in a stable order: known questions first, then anything else."""
    known = [key for key in LABELS if key in details]
    rest = sorted(key for key in details if key not in LABELS)
    return [
        (str(LABELS.get(key, key.replace("_", " ").capitalize())), _value(key, details[key]))
        for key in known + rest
    ]
