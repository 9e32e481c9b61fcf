from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from followups.models import TherapyCourse
from screening.engine import vaccines
from screening.engine.gate import GateDecision

RESULT_LOOKBACK_DAYS = 60

Gate = Callable[[dt.date], GateDecision]


def _plausible(day: dt.date, *, born: dt.date | None, today: dt.date, past_event: bool = True):
    """The shared clinical-date check (clinic_portal.core.clinical_dates), as a field error."""
    problem = date_problem(day, born=born, today=today, past_event=past_event)
    if problem:
        raise forms.ValidationError(problem)
    return day


def _gated(day: dt.date, gate: Gate) -> dt.date:
    decision = gate(day)
    if not decision.allowed:
        raise forms.ValidationError(decision.message)
    return day


class TherapyStartForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    dose_mg = forms.IntegerField(
        initial=100,
        min_value=100,
        max_value=100,
        label=_("Dose (mg)"),
        help_text=_("Kineret comes as 100 mg prefilled syringes."),
    )
    interval = forms.ChoiceField(choices=TherapyCourse.Interval.choices, label=_("Dosing interval"))
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason for a different interval than recommended"),
    )

    def __init__(
        self, *args, today: dt.date, recommended: str, default_start: dt.date, gate: Gate, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.today, self.recommended, self.gate = today, recommended, gate
        self.fields["interval"].initial = recommended
        self.fields["start_date"].initial = default_start
        self.fields[
            "start_date"
        ].help_text = (
            "The screening's planned start. Another day is checked against the screening again."
        )

    def clean_start_date(self) -> dt.date:
        return _gated(self.cleaned_data["start_date"], self.gate)

    def clean(self):
        data = super().clean()
        if (
            data.get("interval")
            and data["interval"] != self.recommended
            and not data.get("override_reason", "").strip()
        ):
            self.add_error(
                "override_reason", _("Say why you are changing the recommended interval.")
            )
        return data


class StopTherapyForm(forms.Form):
    stopped_on = forms.DateField(widget=DateInput(), label=_("Last day of treatment"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, today: dt.date, started: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.started = today, started
        self.fields["stopped_on"].initial = today

    def clean_stopped_on(self) -> dt.date:
        day = _plausible(self.cleaned_data["stopped_on"], born=None, today=self.today)
        if day > self.today:
            raise forms.ValidationError(
                _("Record a stop on or after the day it happens, not before.")
            )
        if day < self.started:
            raise forms.ValidationError(_("Therapy cannot stop before it started."))
        return day


class NeutrophilResultForm(forms.Form):
    value = LocalizedDecimalField(
        label=_("Absolute neutrophil count (× 10⁹/L)"),
        min_value=0,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    sample_date = forms.DateField(label=_("Sample date"), widget=DateInput())
    lab = forms.CharField(max_length=120, label=_("Laboratory"))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args,
        today: dt.date,
        therapy_start: dt.date | None,
        born: dt.date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today, self.therapy_start, self.born = today, therapy_start, born

    def clean_sample_date(self) -> dt.date:
        day = _plausible(self.cleaned_data["sample_date"], born=self.born, today=self.today)
        if self.therapy_start and day < self.therapy_start - dt.timedelta(
            days=RESULT_LOOKBACK_DAYS
        ):
            raise forms.ValidationError(
                _("The sample is more than %(days)s days older than the start of therapy."),
                params={"days": RESULT_LOOKBACK_DAYS},
            )
        return day


class VaccinationForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label=_("Vaccine"),
        help_text=_("Brand or type, e.g. Shingrix, Fluad, Prevenar 20."),
    )
    given_on = forms.DateField(widget=DateInput(), label=_("Date given"))
    dose_number = forms.IntegerField(
        required=False, min_value=1, max_value=10, label=_("Dose number")
    )
    where_given = forms.CharField(required=False, max_length=120, label=_("Where it was given"))

    def __init__(self, *args, today: dt.date, born: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.born = today, born

    def clean_given_on(self) -> dt.date:
        day = self.cleaned_data["given_on"]
        if day > self.today:
            raise forms.ValidationError(_("Record a vaccination once it has been given."))
        return _plausible(day, born=self.born, today=self.today)

    def recognised(self):
        return vaccines.recognise(self.cleaned_data.get("name", ""))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(forms.Form):
    new_date = forms.DateField(widget=DateInput(), label=_("New due date"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_new_date(self) -> dt.date:
        day = self.cleaned_data["new_date"]
        if day < self.today:
            raise forms.ValidationError(_("Move a check to today or later."))
        if (day - self.today).days > 365:
            raise forms.ValidationError(_("Move a check by less than a year."))
        return day


class PostponeForm(forms.Form):
    new_start = forms.DateField(widget=DateInput(), label=_("New start date"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, gate: Gate, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = gate

    def clean_new_start(self) -> dt.date:
        return _gated(self.cleaned_data["new_start"], self.gate)


class CancelCourseForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why the course will not begin"),
    )


class ConfirmStartForm(forms.Form):
    note = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why the start can go ahead on the planned day"),
    )


class ExtraCheckForm(forms.Form):
    due_date = forms.DateField(widget=DateInput(), label=_("Due date"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a repeat after a low count."),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["due_date"].initial = today

    def clean_due_date(self) -> dt.date:
        day = self.cleaned_data["due_date"]
        if day < self.today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if (day - self.today).days > 365:
            raise forms.ValidationError(_("Choose a day within a year."))
        return day


class AlertNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
