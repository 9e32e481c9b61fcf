"""The screening form. It collects exactly the engine's facts and validates them the same way:
every answer it produces goes through ``facts_from_dict``, so the form cannot accept what the
engine would reject. Yes/no questions have a third answer, "not answered", because a missing
answer must never be read as "no"."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from screening.engine import (
    ASKED_WHEN,
    FIELD_NAMES,
    IMPLIED_NO_BY,
    InvalidFacts,
    asked_answers,
    facts_from_dict,
    parsing,
)
from screening.engine.facts import ALWAYS_REQUIRED
from screening.engine.parsing import NUMBER_RANGES

YES_NO = [
    ("", gettext_lazy("Not answered")),
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
]
_TO_BOOL = {"yes": True, "no": False, "": None}
_FROM_BOOL = {True: "yes", False: "no", None: ""}

QUESTIONS: dict[str, Promise] = {
    "pregnant": gettext_lazy("Pregnant?"),
    "breastfeeding": gettext_lazy("Breastfeeding?"),
    "planning_pregnancy": gettext_lazy("Planning a pregnancy?"),
    "no_known_allergies": gettext_lazy("No known allergies"),
    "anakinra_allergy": gettext_lazy(
        "Previous serious allergic reaction to anakinra or its ingredients?"
    ),
    "ecoli_protein_allergy": gettext_lazy("Allergy to proteins made in E. coli?"),
    "latex_allergy": gettext_lazy("Latex allergy?"),
    "active_infection": gettext_lazy("Active infection now?"),
    "active_tb": gettext_lazy("Active tuberculosis?"),
    "current_antibiotics": gettext_lazy("Taking antibiotics now?"),
    "chronic_or_recurrent_infections": gettext_lazy("Chronic or recurrent infections?"),
    "serious_infection_past_12_months": gettext_lazy("Serious infection in the past 12 months?"),
    "hbv_antiviral": gettext_lazy("On antiviral treatment for hepatitis B?"),
    "asthma": gettext_lazy("Asthma?"),
    "kidney_disease": gettext_lazy("Kidney disease?"),
    "malignancy_history": gettext_lazy("History of cancer?"),
}
NOT_ANSWERED = ("", gettext_lazy("Not answered"))
NEGATIVE = ("negative", gettext_lazy("Negative"))
POSITIVE = ("positive", gettext_lazy("Positive"))
UNKNOWN = ("unknown", gettext_lazy("Unknown"))
ENUM_CHOICES: dict[str, list[tuple[str, Promise]]] = {
    "sex": [
        NOT_ANSWERED,
        ("female", gettext_lazy("Female")),
        ("male", gettext_lazy("Male")),
        ("other", gettext_lazy("Other")),
    ],
    "tb_test": [
        NOT_ANSWERED,
        NEGATIVE,
        POSITIVE,
        ("indeterminate", gettext_lazy("Indeterminate")),
        ("not_done", gettext_lazy("Not done")),
    ],
    "hbsag": [NOT_ANSWERED, NEGATIVE, POSITIVE, UNKNOWN],
    "anti_hbc": [NOT_ANSWERED, NEGATIVE, POSITIVE, UNKNOWN],
    "hcv": [NOT_ANSWERED, NEGATIVE, POSITIVE, ("cured", gettext_lazy("Cured (treated)")), UNKNOWN],
    "hiv": [NOT_ANSWERED, NEGATIVE, POSITIVE, UNKNOWN],
}
LABELS: dict[str, Promise] = {
    "date_of_birth": gettext_lazy("Date of birth"),
    "planned_start": gettext_lazy("Planned start date"),
    "sex": gettext_lazy("Sex"),
    "temperature_c": gettext_lazy("Temperature today (°C)"),
    "tb_test": gettext_lazy("Tuberculosis test (TST or IGRA)"),
    "ltbi_treatment_start": gettext_lazy("Latent-TB treatment start date"),
    "hbsag": gettext_lazy("Hepatitis B surface antigen (HBsAg)"),
    "anti_hbc": gettext_lazy("Hepatitis B core antibody (anti-HBc)"),
    "hcv": gettext_lazy("Hepatitis C"),
    "hiv": gettext_lazy("HIV"),
    "creatinine_clearance_ml_min": gettext_lazy("Creatinine clearance (mL/min)"),
    "anc_10e9_per_l": gettext_lazy("Absolute neutrophil count (× 10⁹/L)"),
    "alt_x_uln": gettext_lazy("ALT (multiple of upper limit of normal)"),
    "prednisone_mg_per_day": gettext_lazy("Prednisone or equivalent (mg a day)"),
    "tnf_blocker_last_dose": gettext_lazy("Last dose of a TNF blocker"),
    "planned_surgery_date": gettext_lazy("Planned surgery or procedure date"),
    "medications": gettext_lazy("Current medicines"),
    "recent_vaccines": gettext_lazy("Vaccines in the last 3 months"),
    "planned_vaccines": gettext_lazy("Planned vaccines"),
}
HELP: dict[str, Promise] = {
    "ltbi_treatment_start": gettext_lazy("Asked because the TB test is positive."),
    "hbv_antiviral": gettext_lazy("Asked because the surface antigen is positive."),
}
# The kinds of question come from the engine's facts, in the order they are declared there; only
# their wording lives here.
DATE_FIELDS = tuple(name for name in FIELD_NAMES if name in parsing.DATE_FIELDS)
YES_NO_FIELDS = tuple(
    name
    for name in FIELD_NAMES
    if name in parsing.BOOL_FIELDS and name not in IMPLIED_NO_BY.values()
)
# Statements ticked rather than answered yes or no ("No known allergies").
STATEMENT_FIELDS = tuple(name for name in FIELD_NAMES if name in IMPLIED_NO_BY.values())
PLANNED_START_HORIZON_DAYS = 365

# The form's sections, in order; each entry is one question (a tuple when several fields
# answer it together). A follow-up sits right below the question that asks it.
SECTIONS: tuple[tuple[Promise, tuple[str | tuple[str, ...], ...]], ...] = (
    (gettext_lazy("Patient and plan"), ("date_of_birth", "sex", "planned_start")),
    (gettext_lazy("Reproductive status"), ("pregnant", "breastfeeding", "planning_pregnancy")),
    (
        gettext_lazy("Allergies"),
        ("no_known_allergies", "anakinra_allergy", "ecoli_protein_allergy", "latex_allergy"),
    ),
    (
        gettext_lazy("Infections and tuberculosis"),
        (
            "active_infection",
            "temperature_c",
            "current_antibiotics",
            "chronic_or_recurrent_infections",
            "serious_infection_past_12_months",
            "active_tb",
            "tb_test",
            "ltbi_treatment_start",
        ),
    ),
    (gettext_lazy("Hepatitis and HIV"), ("hbsag", "hbv_antiviral", "anti_hbc", "hcv", "hiv")),
    (gettext_lazy("Conditions"), ("asthma", "kidney_disease", "malignancy_history")),
    (
        gettext_lazy("Laboratory results"),
        ("anc_10e9_per_l", "anc_sampled_on", "creatinine_clearance_ml_min", "alt_x_uln"),
    ),
    (
        gettext_lazy("Medicines"),
        (("medications", "medications_none"), "prednisone_mg_per_day", "tnf_blocker_last_dose"),
    ),
    (gettext_lazy("Vaccines"), ("recent_vaccines", "planned_vaccines")),
    (gettext_lazy("Surgery"), ("planned_surgery_date",)),
)


def _vaccine_lines(value: list[dict] | None) -> str:
    return "\n".join(f"{v['name']}, {v['date']}" for v in value or [])


def _form_value(answer: Any) -> str:
    """An engine answer as the form writes it (the script compares with these)."""
    if isinstance(answer, bool):
        return _FROM_BOOL[answer]
    return str(answer)


PLAUSIBLE_DATE_FIELDS = (
    "date_of_birth",
    "ltbi_treatment_start",
    "tnf_blocker_last_dose",
    "anc_sampled_on",
)


@dataclass
class Question:
    """One question of a section, for the template: its fields, whether an answer is needed,
    and what shows or hides it (as data attributes the form's script reads)."""

    name: str
    fields: list[forms.BoundField]
    required: bool
    answered: bool
    asked: bool
    statement: bool = False  # "No known allergies": counts once ticked
    asked_when: str = ""  # JSON: {"question", "answers", "unless"} in the form's values
    implied_no_by: str = ""

    @property
    def counts(self) -> bool:
        return self.required and self.asked


@dataclass
class Section:
    legend: str
    anchor: str
    questions: list[Question] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(1 for q in self.questions if q.counts)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.counts and q.answered)

    @property
    def to_answer(self) -> int:
        return self.total - self.answered

    @property
    def asked(self) -> bool:
        return any(q.asked for q in self.questions)


class ScreeningForm(forms.Form):
    medications = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Current medicines, one per line"),
        help_text=gettext_lazy("Brand or generic names with doses are fine."),
    )
    medications_none = forms.BooleanField(
        required=False, label=gettext_lazy("Takes no regular medicines")
    )
    recent_vaccines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Vaccines in the last 3 months, one per line: name, YYYY-MM-DD"),
    )
    planned_vaccines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Planned vaccines, one per line: name, YYYY-MM-DD"),
    )

    anc_sampled_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label=gettext_lazy("Date of that neutrophil count"),
        help_text=gettext_lazy("Within 30 days of the start, it serves as the baseline count."),
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
        for name in STATEMENT_FIELDS:
            self.fields[name] = forms.BooleanField(
                required=False,
                label=QUESTIONS[name],
                help_text=gettext_lazy(
                    "Tick only after asking the patient: it answers the allergy questions "
                    'below "No".'
                ),
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
        for name, text in HELP.items():
            self.fields[name].help_text = text
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @classmethod
    def initial_from_answers(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, value in answers.items():
            if name in STATEMENT_FIELDS:
                initial[name] = bool(value)
            elif name in QUESTIONS:
                initial[name] = _FROM_BOOL.get(value, "")
            elif name in ("recent_vaccines", "planned_vaccines"):
                initial[name] = _vaccine_lines(value)
            elif name == "medications":
                initial[name] = "\n".join(value) if value else ""
                initial["medications_none"] = value == []
            elif value is not None:
                initial[name] = value
        return initial

    # --- sections and their progress ----------------------------------------------------------

    def _current_answers(self) -> dict[str, Any]:
        """The simple answers as the page now holds them (posted or initial), in the engine's
        JSON form: enough to know which follow-ups are asked."""
        answers: dict[str, Any] = {}
        for name in YES_NO_FIELDS:
            answers[name] = _TO_BOOL.get(str(self[name].value() or ""))
        for name in ENUM_CHOICES:
            answers[name] = self[name].value() or None
        for name in STATEMENT_FIELDS:
            answers[name] = bool(self[name].value())
        return answers

    def sections(self) -> list[Section]:
        """The sections with each question's state, for the progress list and the script."""
        current = self._current_answers()
        sections = []
        for number, (legend, entries) in enumerate(SECTIONS, start=1):
            section = Section(str(legend), f"part-{number}")
            for entry in entries:
                names = (entry,) if isinstance(entry, str) else entry
                name = names[0]
                bound = [self[n] for n in names]
                when = ASKED_WHEN.get(name)
                statement = IMPLIED_NO_BY.get(name, "")
                answered = any(_has_value(b) for b in bound)
                section.questions.append(
                    Question(
                        name=name,
                        fields=bound,
                        # A statement ticked answers its section's questions: it counts then.
                        required=name in ALWAYS_REQUIRED or (name in STATEMENT_FIELDS and answered),
                        answered=answered,
                        statement=name in STATEMENT_FIELDS,
                        asked=(when is None or when.met(current.get(when.question)))
                        and not (statement and current.get(statement)),
                        asked_when=json.dumps(
                            {
                                "question": when.question,
                                "answers": [_form_value(a) for a in when.answers],
                                "unless": when.unless,
                            }
                        )
                        if when
                        else "",
                        implied_no_by=statement,
                    )
                )
            sections.append(section)
        return sections

    # --- validation -------------------------------------------------------------------------

    def _parse_vaccines(self, name: str) -> list[dict[str, str]]:
        records = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            vaccine, _sep, date_text = line.rpartition(",")
            try:
                day = dt.date.fromisoformat(date_text.strip())
            except ValueError:
                self.add_error(
                    name,
                    _("Line %(number)s: write the name, a comma, then YYYY-MM-DD.")
                    % {"number": number},
                )
                continue
            if not vaccine.strip():
                self.add_error(
                    name, _("Line %(number)s: the vaccine name is missing.") % {"number": number}
                )
                continue
            if name == "recent_vaccines" and day > self.today:
                self.add_error(
                    name,
                    _("Line %(number)s: a vaccine already given cannot be dated in the future.")
                    % {"number": number},
                )
            elif problem := date_problem(
                day, born=self.cleaned_data.get("date_of_birth"), today=self.today, past_event=False
            ):
                self.add_error(
                    name,
                    _("Line %(number)s: %(problem)s") % {"number": number, "problem": problem},
                )
            records.append({"name": vaccine.strip(), "date": day.isoformat()})
        return records

    def _check_dates(self, data: dict[str, Any]) -> None:
        start = data.get("planned_start")
        if start is not None:
            if start < self.today:
                self.add_error("planned_start", _("The planned start cannot be in the past."))
            elif (start - self.today).days > PLANNED_START_HORIZON_DAYS:
                self.add_error("planned_start", _("The planned start must be within a year."))
        born = data.get("date_of_birth")
        if born is not None and born > self.today:
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        last_dose = data.get("tnf_blocker_last_dose")
        if last_dose is not None and last_dose > self.today:
            self.add_error(
                "tnf_blocker_last_dose", _("A dose already taken cannot be in the future.")
            )
        sampled = data.get("anc_sampled_on")
        if sampled is not None and sampled > self.today:
            self.add_error("anc_sampled_on", _("A sample already taken cannot be in the future."))
        elif sampled is not None and born is not None and sampled < born:
            self.add_error("anc_sampled_on", _("The sample cannot be older than the patient."))
        surgery = data.get("planned_surgery_date")
        if surgery is not None and surgery < self.today:
            self.add_error("planned_surgery_date", _("A planned operation cannot be in the past."))
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

    def _drop_unasked(self, data: dict[str, Any]) -> None:
        """Forget what was typed into a follow-up the answers do not ask (hidden by the page's
        script, or shown to a browser without it), errors included: it is never stored and
        never reaches the rules (``screening.engine.asked_answers``, the one declaration)."""
        current = self._current_answers()
        kept = asked_answers({name: current.get(name) for name in FIELD_NAMES})
        for name in ASKED_WHEN:
            if name not in kept:
                data[name] = None
                if self._errors is not None:
                    self._errors.pop(name, None)

    def _allergy_statement(self, data: dict[str, Any], answers: dict[str, Any]) -> None:
        """ "No known allergies" answers the allergy questions "no": a "yes" among them
        contradicts it and is refused; a "no" is what it says already."""
        for name, statement in IMPLIED_NO_BY.items():
            if not data.get(statement):
                continue
            if answers.get(name) is True:
                self.add_error(
                    statement,
                    _("An allergy below is answered yes. Untick this, or change that answer."),
                )
                return
            answers[name] = None  # answered by the statement, as the engine reads it

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._drop_unasked(data)
        if self.errors:
            return data
        self._check_dates(data)
        lines = [line.strip() for line in data.get("medications", "").splitlines() if line.strip()]
        if lines and data.get("medications_none"):
            self.add_error("medications_none", _("Untick this, or remove the medicines listed."))
        answers: dict[str, Any] = {
            "medications": lines if lines or data.get("medications_none") else None,
            "recent_vaccines": self._parse_vaccines("recent_vaccines"),
            "planned_vaccines": self._parse_vaccines("planned_vaccines"),
        }
        for name in YES_NO_FIELDS:
            answers[name] = _TO_BOOL[data.get(name) or ""]
        for name in STATEMENT_FIELDS:
            answers[name] = bool(data.get(name))
        for name in ENUM_CHOICES:
            answers[name] = data.get(name) or None
        for name in DATE_FIELDS:
            answers[name] = data[name].isoformat() if data.get(name) else None
        for name in NUMBER_RANGES:
            answers[name] = float(data[name]) if data.get(name) is not None else None
        self._allergy_statement(data, answers)
        if self.errors:
            return data
        answers = asked_answers(answers)
        try:
            facts_from_dict(answers)
        except InvalidFacts as error:
            field_name = error.field if error.field in self.fields else None
            self.add_error(field_name, error.message if field_name else str(error))
            return data
        self.answers = answers
        return data


def _has_value(bound: forms.BoundField) -> bool:
    value = bound.value()
    if isinstance(value, bool):
        return value
    return str(value if value is not None else "").strip() not in ("", "None", "False")


class AcknowledgeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=48)
    note = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Your note"),
        help_text=gettext_lazy(
            "How you weighed this item, for example 'Asthma well controlled; reviewed'."
        ),
    )


class SignForm(forms.Form):
    not_started_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Reason Kineret is not started"),
    )


class RecordMedicinesForm(forms.Form):
    """The one-click update of the record's medicines: the record version the offer showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def field_label(name: str) -> str:
    """The question a field answers, in the form's words."""
    if name in QUESTIONS:
        return str(QUESTIONS[name]).rstrip("?\u00a0 ")
    if name in LABELS:
        return str(LABELS[name])
    return name.replace("_", " ").capitalize()


def display_answer(name: str, value: Any) -> str:
    """An answer in words for the read-only summary."""
    if value is None:
        return _("Not answered")
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if name in ENUM_CHOICES:
        return str(dict(ENUM_CHOICES[name]).get(value, value))
    if isinstance(value, list):
        if not value:
            return _("None")
        if isinstance(value[0], dict):
            return "; ".join(f"{v['name']} ({_day(v['date'])})" for v in value)
        return "; ".join(str(v) for v in value)
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return _day(value)
    if isinstance(value, int | float):
        return str(formats.localize(value))
    return str(value).replace("_", " ")


def answer_rows(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The stored answers as (question, answer) rows, in the order the engine declares them.
    Questions the answers did not ask are left out; those "no known allergies" answered say so."""
    rows = []
    for name in FIELD_NAMES:
        if name in ASKED_WHEN and not ASKED_WHEN[name].met(answers.get(ASKED_WHEN[name].question)):
            continue
        value = answers.get(name)
        if name in IMPLIED_NO_BY.values() and not value:
            continue  # a statement not made: the questions it would answer say the rest
        if name in IMPLIED_NO_BY and answers.get(IMPLIED_NO_BY[name]) and not value:
            rows.append((field_label(name), _("No (no known allergies)")))
            continue
        rows.append((field_label(name), display_answer(name, value)))
    return rows


ALLERGY_NAMES: dict[str, Promise] = {
    "anakinra_allergy": gettext_lazy("anakinra or its ingredients"),
    "ecoli_protein_allergy": gettext_lazy("proteins made in E. coli"),
    "latex_allergy": gettext_lazy("latex"),
}


def allergy_statement(answers: dict[str, Any]) -> str:
    """What the screening says about allergies, in one line: "No known allergies" only when
    said; "Allergies not recorded" while any allergy question is unanswered."""
    if any(answers.get(statement) for statement in IMPLIED_NO_BY.values()):
        return _("No known allergies")
    allergic = [str(ALLERGY_NAMES[name]) for name in IMPLIED_NO_BY if answers.get(name) is True]
    if allergic:
        return _("Allergic to %(substances)s") % {"substances": ", ".join(allergic)}
    if all(answers.get(name) is False for name in IMPLIED_NO_BY):
        return _("No allergy to anakinra, E. coli proteins or latex; other allergies not asked")
    return _("Allergies not recorded")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: str) -> str:
    """An ISO date answer in the locale's date format ("30 Nov 2026", "30 nov. 2026")."""
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return formats.date_format(day)
