"""The screening form. It collects exactly the engine's facts and validates them the same way:
every answer it produces goes through ``facts_from_dict``, so the form cannot accept what the
engine would reject. Yes/no questions have a third answer, "not answered", because a missing
answer must never be read as "no"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as gettext_lazy_

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from screening.engine import FIELD_NAMES, InvalidFacts, facts_from_dict, parsing
from screening.engine.parsing import NUMBER_RANGES

YES_NO = [("", "Not answered"), ("yes", "Yes"), ("no", "No")]
_TO_BOOL = {"yes": True, "no": False, "": None}
_FROM_BOOL = {True: "yes", False: "no", None: ""}

QUESTIONS: dict[str, str] = {
    "pregnant": "Pregnant?",
    "breastfeeding": "Breastfeeding?",
    "planning_pregnancy": "Planning a pregnancy?",
    "anakinra_allergy": "Previous serious allergic reaction to anakinra or its ingredients?",
    "ecoli_protein_allergy": "Allergy to proteins made in E. coli?",
    "latex_allergy": "Latex allergy?",
    "active_infection": "Active infection now?",
    "active_tb": "Active tuberculosis?",
    "current_antibiotics": "Taking antibiotics now?",
    "chronic_or_recurrent_infections": "Chronic or recurrent infections?",
    "serious_infection_past_12_months": "Serious infection in the past 12 months?",
    "hbv_antiviral": "On antiviral treatment for hepatitis B?",
    "asthma": "Asthma?",
    "kidney_disease": "Kidney disease?",
    "malignancy_history": "History of cancer?",
}
ENUM_CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": [("", "Not answered"), ("female", "Female"), ("male", "Male"), ("other", "Other")],
    "tb_test": [
        ("", "Not answered"),
        ("negative", "Negative"),
        ("positive", "Positive"),
        ("indeterminate", "Indeterminate"),
        ("not_done", "Not done"),
    ],
    "hbsag": [
        ("", "Not answered"),
        ("negative", "Negative"),
        ("positive", "Positive"),
        ("unknown", "Unknown"),
    ],
    "anti_hbc": [
        ("", "Not answered"),
        ("negative", "Negative"),
        ("positive", "Positive"),
        ("unknown", "Unknown"),
    ],
    "hcv": [
        ("", "Not answered"),
        ("negative", "Negative"),
        ("positive", "Positive"),
        ("cured", "Cured (treated)"),
        ("unknown", "Unknown"),
    ],
    "hiv": [
        ("", "Not answered"),
        ("negative", "Negative"),
        ("positive", "Positive"),
        ("unknown", "Unknown"),
    ],
}
LABELS = {
    "date_of_birth": "Date of birth",
    "planned_start": "Planned start date",
    "sex": "Sex",
    "temperature_c": "Temperature today (°C)",
    "tb_test": "Tuberculosis test (TST or IGRA)",
    "ltbi_treatment_start": "Latent-TB treatment start date",
    "hbsag": "Hepatitis B surface antigen (HBsAg)",
    "anti_hbc": "Hepatitis B core antibody (anti-HBc)",
    "hcv": "Hepatitis C",
    "hiv": "HIV",
    "creatinine_clearance_ml_min": "Creatinine clearance (mL/min)",
    "anc_10e9_per_l": "Absolute neutrophil count (× 10⁹/L)",
    "alt_x_uln": "ALT (multiple of upper limit of normal)",
    "prednisone_mg_per_day": "Prednisone or equivalent (mg a day)",
    "tnf_blocker_last_dose": "Last dose of a TNF blocker",
    "planned_surgery_date": "Planned surgery or procedure date",
}
# The kinds of question come from the engine's facts, in the order they are declared there; only
# their wording lives here.
DATE_FIELDS = tuple(name for name in FIELD_NAMES if name in parsing.DATE_FIELDS)
YES_NO_FIELDS = tuple(name for name in FIELD_NAMES if name in parsing.BOOL_FIELDS)
PLANNED_START_HORIZON_DAYS = 365


def _vaccine_lines(value: list[dict] | None) -> str:
    return "\n".join(f"{v['name']}, {v['date']}" for v in value or [])


PLAUSIBLE_DATE_FIELDS = (
    "date_of_birth",
    "ltbi_treatment_start",
    "tnf_blocker_last_dose",
    "anc_sampled_on",
)


class ScreeningForm(forms.Form):
    medications = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy_("Current medicines, one per line"),
        help_text=gettext_lazy_("Brand or generic names with doses are fine."),
    )
    medications_none = forms.BooleanField(
        required=False, label=gettext_lazy_("Takes no regular medicines")
    )
    recent_vaccines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy_("Vaccines in the last 3 months, one per line: name, YYYY-MM-DD"),
    )
    planned_vaccines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy_("Planned vaccines, one per line: name, YYYY-MM-DD"),
    )

    anc_sampled_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label=gettext_lazy_("Date of that neutrophil count"),
        help_text=gettext_lazy_("Within 30 days of the start, it serves as the baseline count."),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.answers: dict[str, Any] = {}
        for name in DATE_FIELDS:
            self.fields[name] = forms.DateField(
                required=False, widget=DateInput(), label=LABELS[name]
            )
        for name, choices in ENUM_CHOICES.items():
            self.fields[name] = forms.ChoiceField(
                required=False, choices=choices, label=LABELS[name]
            )
        for name in YES_NO_FIELDS:
            self.fields[name] = forms.ChoiceField(
                required=False, choices=YES_NO, label=QUESTIONS[name], widget=forms.RadioSelect
            )
        for name, (low, high, _unit) in NUMBER_RANGES.items():
            self.fields[name] = LocalizedDecimalField(
                required=False,
                min_value=low,
                max_value=high,
                max_digits=7,
                decimal_places=2,
                label=LABELS[name],
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Patient and plan", "date_of_birth", "sex", "planned_start"),
            Fieldset("Reproductive status", "pregnant", "breastfeeding", "planning_pregnancy"),
            Fieldset("Allergies", "anakinra_allergy", "ecoli_protein_allergy", "latex_allergy"),
            Fieldset(
                "Infections and tuberculosis",
                "active_infection",
                "temperature_c",
                "current_antibiotics",
                "chronic_or_recurrent_infections",
                "serious_infection_past_12_months",
                "active_tb",
                "tb_test",
                "ltbi_treatment_start",
            ),
            Fieldset("Hepatitis and HIV", "hbsag", "anti_hbc", "hbv_antiviral", "hcv", "hiv"),
            Fieldset("Conditions", "asthma", "kidney_disease", "malignancy_history"),
            Fieldset(
                "Laboratory results",
                "anc_10e9_per_l",
                "anc_sampled_on",
                "creatinine_clearance_ml_min",
                "alt_x_uln",
            ),
            Fieldset(
                "Medicines",
                "medications",
                "medications_none",
                "prednisone_mg_per_day",
                "tnf_blocker_last_dose",
            ),
            Fieldset("Vaccines", "recent_vaccines", "planned_vaccines"),
            Fieldset("Surgery", "planned_surgery_date"),
        )

    @classmethod
    def initial_from_answers(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, value in answers.items():
            if name in QUESTIONS:
                initial[name] = _FROM_BOOL.get(value, "")
            elif name in ("recent_vaccines", "planned_vaccines"):
                initial[name] = _vaccine_lines(value)
            elif name == "medications":
                initial[name] = "\n".join(value) if value else ""
                initial["medications_none"] = value == []
            elif value is not None:
                initial[name] = value
        return initial

    # --- validation -------------------------------------------------------------------------

    def _parse_vaccines(self, name: str) -> list[dict[str, str]]:
        records = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            vaccine, _, date_text = line.rpartition(",")
            try:
                day = dt.date.fromisoformat(date_text.strip())
            except ValueError:
                self.add_error(name, f"Line {number}: write the name, a comma, then YYYY-MM-DD.")
                continue
            if not vaccine.strip():
                self.add_error(name, f"Line {number}: the vaccine name is missing.")
                continue
            if name == "recent_vaccines" and day > self.today:
                self.add_error(
                    name, f"Line {number}: a vaccine already given cannot be dated in the future."
                )
            elif problem := date_problem(
                day, born=self.cleaned_data.get("date_of_birth"), today=self.today, past_event=False
            ):
                self.add_error(name, f"Line {number}: {problem}")
            records.append({"name": vaccine.strip(), "date": day.isoformat()})
        return records

    def _check_dates(self, data: dict[str, Any]) -> None:
        start = data.get("planned_start")
        if start is not None:
            if start < self.today:
                self.add_error("planned_start", "The planned start cannot be in the past.")
            elif (start - self.today).days > PLANNED_START_HORIZON_DAYS:
                self.add_error("planned_start", "The planned start must be within a year.")
        born = data.get("date_of_birth")
        if born is not None and born > self.today:
            self.add_error("date_of_birth", "The date of birth cannot be in the future.")
        last_dose = data.get("tnf_blocker_last_dose")
        if last_dose is not None and last_dose > self.today:
            self.add_error("tnf_blocker_last_dose", "A dose already taken cannot be in the future.")
        sampled = data.get("anc_sampled_on")
        if sampled is not None and sampled > self.today:
            self.add_error("anc_sampled_on", "A sample already taken cannot be in the future.")
        elif sampled is not None and born is not None and sampled < born:
            self.add_error("anc_sampled_on", "The sample cannot be older than the patient.")
        surgery = data.get("planned_surgery_date")
        if surgery is not None and surgery < self.today:
            self.add_error("planned_surgery_date", "A planned operation cannot be in the past.")
        # Before 1900 or before birth (clinic_portal.core.clinical_dates); the future is above.
        for name in PLAUSIBLE_DATE_FIELDS:
            day = data.get(name)
            if day is None or name in self.errors:
                continue
            problem = date_problem(
                day,
                born=None if name == "date_of_birth" else born,
                today=self.today,
                past_event=False,
            )
            if problem:
                self.add_error(name, problem)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        self._check_dates(data)
        lines = [line.strip() for line in data.get("medications", "").splitlines() if line.strip()]
        if lines and data.get("medications_none"):
            self.add_error("medications_none", "Untick this, or remove the medicines listed.")
        answers: dict[str, Any] = {
            "medications": lines if lines or data.get("medications_none") else None,
            "recent_vaccines": self._parse_vaccines("recent_vaccines"),
            "planned_vaccines": self._parse_vaccines("planned_vaccines"),
        }
        for name in YES_NO_FIELDS:
            answers[name] = _TO_BOOL[data.get(name) or ""]
        for name in ENUM_CHOICES:
            answers[name] = data.get(name) or None
        for name in DATE_FIELDS:
            answers[name] = data[name].isoformat() if data.get(name) else None
        for name in NUMBER_RANGES:
            answers[name] = float(data[name]) if data.get(name) is not None else None
        if self.errors:
            return data
        try:
            facts_from_dict(answers)
        except InvalidFacts as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message if field else str(error))
            return data
        self.answers = answers
        return data


class AcknowledgeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=48)
    note = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy_("Your note"),
        help_text=gettext_lazy_(
            "How you weighed this item, for example 'Asthma well controlled; reviewed'."
        ),
    )


class SignForm(forms.Form):
    not_started_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy_("Reason Kineret is not started"),
    )


def field_label(name: str) -> str:
    """The question a field answers, in the form's words."""
    if name in QUESTIONS:
        return QUESTIONS[name].rstrip("?")
    if name in LABELS:
        return LABELS[name]
    return name.replace("_", " ").capitalize()


def display_answer(value: Any) -> str:
    """An answer in words for the read-only summary."""
    if value is None:
        return "Not answered"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        if not value:
            return "None"
        if isinstance(value[0], dict):
            return "; ".join(f"{v['name']} ({_day(v['date'])})" for v in value)
        return "; ".join(str(v) for v in value)
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return _day(value)
    return str(value).replace("_", " ")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: str) -> str:
    """An ISO date answer in the portal's one date format, "30 Nov 2026"."""
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{day.day} {day:%b %Y}"
