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
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as gettext_lazy_

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from screening.engine import FIELD_NAMES, InvalidFacts, facts_from_dict, parsing
from screening.engine.parsing import NUMBER_RANGES

YES_NO = [
    ("", gettext_lazy_("Not answered")),
    ("yes", gettext_lazy_("Yes")),
    ("no", gettext_lazy_("No")),
]
_TO_BOOL = {"yes": True, "no": False, "": None}
_FROM_BOOL = {True: "yes", False: "no", None: ""}

QUESTIONS: dict[str, str] = {
    "pregnant": gettext_lazy_("Pregnant?"),
    "breastfeeding": gettext_lazy_("Breastfeeding?"),
    "planning_pregnancy": gettext_lazy_("Planning a pregnancy?"),
    "anakinra_allergy": gettext_lazy_(
        "Previous serious allergic reaction to anakinra or its ingredients?"
    ),
    "ecoli_protein_allergy": gettext_lazy_("Allergy to proteins made in E. coli?"),
    "latex_allergy": gettext_lazy_("Latex allergy?"),
    "active_infection": gettext_lazy_("Active infection now?"),
    "active_tb": gettext_lazy_("Active tuberculosis?"),
    "current_antibiotics": gettext_lazy_("Taking antibiotics now?"),
    "chronic_or_recurrent_infections": gettext_lazy_("Chronic or recurrent infections?"),
    "serious_infection_past_12_months": gettext_lazy_("Serious infection in the past 12 months?"),
    "hbv_antiviral": gettext_lazy_("On antiviral treatment for hepatitis B?"),
    "asthma": gettext_lazy_("Asthma?"),
    "kidney_disease": gettext_lazy_("Kidney disease?"),
    "malignancy_history": gettext_lazy_("History of cancer?"),
}
ENUM_CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": [
        ("", gettext_lazy_("Not answered")),
        ("female", gettext_lazy_("Female")),
        ("male", gettext_lazy_("Male")),
        ("other", gettext_lazy_("Other")),
    ],
    "tb_test": [
        ("", gettext_lazy_("Not answered")),
        ("negative", gettext_lazy_("Negative")),
        ("positive", gettext_lazy_("Positive")),
        ("indeterminate", gettext_lazy_("Indeterminate")),
        ("not_done", gettext_lazy_("Not done")),
    ],
    "hbsag": [
        ("", gettext_lazy_("Not answered")),
        ("negative", gettext_lazy_("Negative")),
        ("positive", gettext_lazy_("Positive")),
        ("unknown", gettext_lazy_("Unknown")),
    ],
    "anti_hbc": [
        ("", gettext_lazy_("Not answered")),
        ("negative", gettext_lazy_("Negative")),
        ("positive", gettext_lazy_("Positive")),
        ("unknown", gettext_lazy_("Unknown")),
    ],
    "hcv": [
        ("", gettext_lazy_("Not answered")),
        ("negative", gettext_lazy_("Negative")),
        ("positive", gettext_lazy_("Positive")),
        ("cured", gettext_lazy_("Cured (treated)")),
        ("unknown", gettext_lazy_("Unknown")),
    ],
    "hiv": [
        ("", gettext_lazy_("Not answered")),
        ("negative", gettext_lazy_("Negative")),
        ("positive", gettext_lazy_("Positive")),
        ("unknown", gettext_lazy_("Unknown")),
    ],
}
LABELS = {
    "date_of_birth": gettext_lazy_("Date of birth"),
    "planned_start": gettext_lazy_("Planned start date"),
    "sex": gettext_lazy_("Sex"),
    "temperature_c": gettext_lazy_("Temperature today (°C)"),
    "tb_test": gettext_lazy_("Tuberculosis test (TST or IGRA)"),
    "ltbi_treatment_start": gettext_lazy_("Latent-TB treatment start date"),
    "hbsag": gettext_lazy_("Hepatitis B surface antigen (HBsAg)"),
    "anti_hbc": gettext_lazy_("Hepatitis B core antibody (anti-HBc)"),
    "hcv": gettext_lazy_("Hepatitis C"),
    "hiv": gettext_lazy_("HIV"),
    "creatinine_clearance_ml_min": gettext_lazy_("Creatinine clearance (mL/min)"),
    "anc_10e9_per_l": gettext_lazy_("Absolute neutrophil count (× 10⁹/L)"),
    "alt_x_uln": gettext_lazy_("ALT (multiple of upper limit of normal)"),
    "prednisone_mg_per_day": gettext_lazy_("Prednisone or equivalent (mg a day)"),
    "tnf_blocker_last_dose": gettext_lazy_("Last dose of a TNF blocker"),
    "planned_surgery_date": gettext_lazy_("Planned surgery or procedure date"),
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
            Fieldset(gettext_lazy_("Patient and plan"), "date_of_birth", "sex", "planned_start"),
            Fieldset(
                gettext_lazy_("Reproductive status"),
                "pregnant",
                "breastfeeding",
                "planning_pregnancy",
            ),
            Fieldset(
                gettext_lazy_("Allergies"),
                "anakinra_allergy",
                "ecoli_protein_allergy",
                "latex_allergy",
            ),
            Fieldset(
                gettext_lazy_("Infections and tuberculosis"),
                "active_infection",
                "temperature_c",
                "current_antibiotics",
                "chronic_or_recurrent_infections",
                "serious_infection_past_12_months",
                "active_tb",
                "tb_test",
                "ltbi_treatment_start",
            ),
            Fieldset(
                gettext_lazy_("Hepatitis and HIV"),
                "hbsag",
                "anti_hbc",
                "hbv_antiviral",
                "hcv",
                "hiv",
            ),
            Fieldset(gettext_lazy_("Conditions"), "asthma", "kidney_disease", "malignancy_history"),
            Fieldset(
                gettext_lazy_("Laboratory results"),
                "anc_10e9_per_l",
                "anc_sampled_on",
                "creatinine_clearance_ml_min",
                "alt_x_uln",
            ),
            Fieldset(
                gettext_lazy_("Medicines"),
                "medications",
                "medications_none",
                "prednisone_mg_per_day",
                "tnf_blocker_last_dose",
            ),
            Fieldset(gettext_lazy_("Vaccines"), "recent_vaccines", "planned_vaccines"),
            Fieldset(gettext_lazy_("Surgery"), "planned_surgery_date"),
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
                self.add_error(
                    name,
                    gettext("Line %(number)s: write the name, a comma, then YYYY-MM-DD.")
                    % {"number": number},
                )
                continue
            if not vaccine.strip():
                self.add_error(
                    name,
                    gettext("Line %(number)s: the vaccine name is missing.") % {"number": number},
                )
                continue
            if name == "recent_vaccines" and day > self.today:
                self.add_error(
                    name,
                    gettext(
                        "Line %(number)s: a vaccine already given cannot be dated in the future."
                    )
                    % {"number": number},
                )
            elif problem := date_problem(
                day, born=self.cleaned_data.get("date_of_birth"), today=self.today, past_event=False
            ):
                self.add_error(
                    name,
                    gettext("Line %(number)s: %(problem)s")
                    % {"number": number, "problem": problem},
                )
            records.append({"name": vaccine.strip(), "date": day.isoformat()})
        return records

    def _check_dates(self, data: dict[str, Any]) -> None:
        start = data.get("planned_start")
        if start is not None:
            if start < self.today:
                self.add_error(
                    "planned_start", gettext_lazy_("The planned start cannot be in the past.")
                )
            elif (start - self.today).days > PLANNED_START_HORIZON_DAYS:
                self.add_error(
                    "planned_start", gettext_lazy_("The planned start must be within a year.")
                )
        born = data.get("date_of_birth")
        if born is not None and born > self.today:
            self.add_error(
                "date_of_birth", gettext_lazy_("The date of birth cannot be in the future.")
            )
        last_dose = data.get("tnf_blocker_last_dose")
        if last_dose is not None and last_dose > self.today:
            self.add_error(
                "tnf_blocker_last_dose",
                gettext_lazy_("A dose already taken cannot be in the future."),
            )
        sampled = data.get("anc_sampled_on")
        if sampled is not None and sampled > self.today:
            self.add_error(
                "anc_sampled_on", gettext_lazy_("A sample already taken cannot be in the future.")
            )
        elif sampled is not None and born is not None and sampled < born:
            self.add_error(
                "anc_sampled_on", gettext_lazy_("The sample cannot be older than the patient.")
            )
        surgery = data.get("planned_surgery_date")
        if surgery is not None and surgery < self.today:
            self.add_error(
                "planned_surgery_date", gettext_lazy_("A planned operation cannot be in the past.")
            )
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
            self.add_error(
                "medications_none", gettext_lazy_("Untick this, or remove the medicines listed.")
            )
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
        return gettext("Not answered")
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, list):
        if not value:
            return gettext("None")
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
    return date_format(day)
