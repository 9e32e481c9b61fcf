import datetime as dt

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.clinical_dates import date_problem
from clinic_portal.core.widgets import DateInput, LocalizedDecimalField
from patients.choices import language_choices
from patients.forms import PHONE
from portal.concerns import FUTURE_DATE_DETAILS, PAST_DATE_DETAILS
from portal.models import Concern
from portal.urgency import NOT_MEASURED


class ChoosePasswordForm(SetPasswordForm):
    """Django's password form with its validators; the user is the invited patient."""


def _text(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=required)


def _yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect
    )


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


# The questions that matter for each category; the free-text message is always offered.
CATEGORY_FIELDS = {
    Concern.Category.FEVER: {
        "measured": lambda: forms.ChoiceField(
            label=_("Did you measure your temperature?"),
            choices=[
                ("yes", _("Yes, I measured it")),
                (NOT_MEASURED, _("No, I feel feverish but have not measured it")),
            ],
            widget=forms.RadioSelect,
        ),
        # A text box that takes "38,5" in French; a number input would refuse the comma.
        "temperature": lambda: LocalizedDecimalField(
            label=_("Your temperature (°C), if you measured it"),
            required=False,
            min_value=34,
            max_value=43.5,
            max_digits=4,
            decimal_places=1,
        ),
        "since": lambda: _date(_("Since when")),
    },
    Concern.Category.INFECTION: {"where": lambda: _text(_("What is wrong, and where"))},
    Concern.Category.ANTIBIOTICS: {
        "antibiotic": lambda: _text(_("Name of the antibiotic")),
        "prescriber": lambda: _text(_("Who prescribed it"), required=False),
        "started": lambda: _date(_("Date you started it")),
    },
    Concern.Category.SURGERY: {
        "procedure": lambda: _text(_("What is being done")),
        "date": lambda: _date(_("Date of the operation or procedure")),
    },
    Concern.Category.PREGNANCY: {
        "which": lambda: forms.ChoiceField(
            label=_("Which is true for you?"),
            choices=[
                ("pregnant", _("I am pregnant")),
                ("maybe", _("I think I might be pregnant")),
            ],
            widget=forms.RadioSelect,
        )
    },
    Concern.Category.SIDE_EFFECTS: {
        "symptom": lambda: forms.ChoiceField(
            label=_("What is it?"),
            choices=[
                ("headache", _("Headache")),
                ("nausea", _("Feeling sick (nausea)")),
                ("diarrhoea", _("Diarrhoea")),
                ("stomach_pain", _("Stomach pain")),
                ("flu_like", _("Feeling like I have flu")),
                ("other", _("Something else")),
            ],
            widget=forms.RadioSelect,
        ),
        "severity": lambda: forms.ChoiceField(
            label=_("How bad is it?"),
            choices=[
                ("mild", _("Mild: I can do my usual things")),
                ("moderate", _("Moderate: it gets in the way")),
                ("severe", _("Severe: I cannot do my usual things")),
            ],
            widget=forms.RadioSelect,
        ),
        "since": lambda: _date(_("Since when")),
        "getting_worse": lambda: _yes_no(_("Is it getting worse?")),
        "fever": lambda: _yes_no(_("Do you also have a fever (38 °C or more)?")),
    },
    Concern.Category.VACCINATION: {
        "vaccine": lambda: _text(_("Name of the vaccine")),
        "date": lambda: _date(_("Planned date")),
    },
    Concern.Category.RASH: {
        "where": lambda: _text(_("Where on your body")),
        "since": lambda: _date(_("Since when")),
    },
    Concern.Category.INJECTION_SITE: {"where": lambda: _text(_("What it looks and feels like"))},
    Concern.Category.STOPPING: {},
    Concern.Category.OTHER: {},
}
PAST_DATES = PAST_DATE_DETAILS
FUTURE_DATES = FUTURE_DATE_DETAILS


class ConcernForm(forms.Form):
    message = forms.CharField(
        label=_("Anything else you want to tell us"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, category: str, today: dt.date, born: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category, self.today, self.born = category, today, born
        fields = {name: make() for name, make in CATEGORY_FIELDS[category].items()}
        self.fields = {**fields, **self.fields}
        if not fields:
            self.fields["message"].required = True
            self.fields["message"].label = _("Tell us about it")

    def clean(self):
        data = super().clean()
        if "measured" in self.fields:
            if data.get("measured") == NOT_MEASURED:
                data["temperature"] = None  # a number typed before changing one's mind
            elif (
                data.get("measured")
                and data.get("temperature") is None
                and "temperature" not in self.errors
            ):
                self.add_error(
                    "temperature",
                    _(
                        "Type the temperature you measured, or choose that you have not "
                        "measured it."
                    ),
                )
        for name in PAST_DATES & set(self.fields):
            if data.get(name) and data[name] > self.today:
                self.add_error(name, _("This date cannot be in the future."))
            elif data.get(name):
                problem = date_problem(
                    data[name], born=self.born, today=self.today, past_event=True
                )
                if problem:
                    self.add_error(name, problem)
        for name in FUTURE_DATES & set(self.fields):
            if data.get(name) and data[name] < self.today:
                self.add_error(
                    name, _("This date is in the past; tell us about things still to come.")
                )
        return data

    def details(self) -> dict:
        return {
            name: (str(value) if not isinstance(value, str) else value)
            for name, value in self.cleaned_data.items()
            if name != "message" and value not in (None, "")
        }


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the patient"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProfileForm(forms.Form):
    phone = forms.CharField(max_length=32, required=False)
    preferred_language = forms.ChoiceField(choices=[])
    email = forms.EmailField(
        required=False,
        help_text=_("If you change it, we send a link to the new address to confirm it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = language_choices(
            self.initial.get("preferred_language")
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(_("Use digits, spaces and an optional leading +."))
        return phone
