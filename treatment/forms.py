from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from treatment import core

# The core's English labels (marked for extraction there), translated when the form is shown.
SITE_CHOICES = [(s.value, _(label)) for s, label in core.SITE_LABELS.items()]
REACTION_CHOICES = [(r.value, _(label)) for r, label in core.REACTION_LABELS.items()]
MISSED_CHOICES = [(r.value, _(label)) for r, label in core.MISSED_REASON_LABELS.items()]


def _plausible(day: dt.date, *, today: dt.date, born: dt.date | None = None) -> dt.date:
    """The shared clinical-date check (clinic_portal.core.clinical_dates), as a field error."""
    problem = date_problem(day, born=born, today=today, past_event=True)
    if problem:
        raise forms.ValidationError(problem)
    return day


class _DayForm(forms.Form):
    """A diary day: not in the future and not before the course started."""

    def __init__(self, *args, today: dt.date, start: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.start = today, start
        self.fields["day"].initial = today

    def clean_day(self) -> dt.date:
        day = _plausible(self.cleaned_data["day"], today=self.today)
        if day < self.start:
            raise forms.ValidationError(
                _("Your Kineret started on %(day)s; pick that day or later.")
                % {"day": date_format(self.start, "SHORT_DATE_FORMAT")}
            )
        return day


class InjectionForm(_DayForm):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    time = forms.TimeField(
        label=_("Time (roughly)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    site = forms.ChoiceField(
        label=_("Where did you inject?"), choices=SITE_CHOICES, widget=forms.RadioSelect
    )
    reaction = forms.ChoiceField(
        label=_("How does the spot look now? (you can add this tomorrow instead)"),
        choices=[("", _("I will say tomorrow")), *REACTION_CHOICES],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, suggested: core.Site | None, now_time: dt.time, **kwargs):
        super().__init__(*args, **kwargs)
        if suggested is not None:
            self.fields["site"].initial = suggested.value
        self.fields["time"].initial = now_time.replace(second=0, microsecond=0)
        self.fields["reaction"].initial = ""


class MissedForm(_DayForm):
    day = forms.DateField(label=_("Which day did you miss?"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Why?"), choices=MISSED_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(
        label=_("How did the spot look the day after?"),
        choices=REACTION_CHOICES,
        widget=forms.RadioSelect,
    )


class PatientGlobalForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_(
            "Thinking about all the ways your arthritis affects you, how are you today? "
            "0 is very well, 10 is very badly."
        ),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=Decimal,
        widget=forms.RadioSelect(attrs={"class": "score-scale"}),
    )


class TeachingForm(forms.Form):
    taught_on = forms.DateField(
        label=_("Day the patient was shown how to inject"), widget=DateInput()
    )

    def __init__(self, *args, today: dt.date, born: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.born = today, born
        self.fields["taught_on"].initial = today

    def clean_taught_on(self) -> dt.date:
        return _plausible(self.cleaned_data["taught_on"], today=self.today, born=self.born)


class CdaiForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput())
    tender_joints = forms.IntegerField(label=_("Tender joints (of 28)"), min_value=0, max_value=28)
    swollen_joints = forms.IntegerField(
        label=_("Swollen joints (of 28)"), min_value=0, max_value=28
    )
    patient_global = LocalizedDecimalField(
        label=_("Patient global (0–10)"), min_value=0, max_value=10, max_digits=3, decimal_places=1
    )
    evaluator_global = LocalizedDecimalField(
        label=_("Evaluator global (0–10)"),
        min_value=0,
        max_value=10,
        max_digits=3,
        decimal_places=1,
    )

    def __init__(
        self,
        *args,
        today: dt.date,
        patient_score: Decimal | None,
        born: dt.date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today, self.born = today, born
        self.fields["assessed_on"].initial = today
        if patient_score is not None:
            shown = int(patient_score) if patient_score == int(patient_score) else patient_score
            field = self.fields["patient_global"]
            field.initial = shown
            field.help_text = _("The patient entered %(score)s in the portal before the visit.") % {
                "score": number_format(shown)
            }

    def clean_assessed_on(self) -> dt.date:
        return _plausible(self.cleaned_data["assessed_on"], today=self.today, born=self.born)


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
