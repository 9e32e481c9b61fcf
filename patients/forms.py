from __future__ import annotations

import datetime as dt
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.core.widgets import DateInput
from patients.choices import language_choices
from patients.history import ALLERGY_LABELS, LABELS
from patients.identifiers import InvalidMRN, normalise_mrn
from patients.models import Allergy, Patient
from patients.selectors import possible_duplicates
from patients.services import RECORD_FIELDS, AllergyData

OLDEST_AGE_YEARS = 120
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,30}")


class PatientForm(forms.ModelForm):
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        required=False,
        help_text=gettext_lazy(
            "Needed to invite the patient to the portal. Leave empty if they have none."
        ),
    )
    confirm_different_person = forms.BooleanField(
        required=False,
        label=gettext_lazy("I have checked: this is a different person"),
    )

    class Meta:
        model = Patient
        fields = RECORD_FIELDS
        labels = LABELS
        help_texts = {
            "no_known_allergies": gettext_lazy(
                "Tick only after asking the patient. Leave unticked if not asked yet."
            )
        }
        widgets = {
            "date_of_birth": DateInput(),
            "diagnosis_onset": DateInput(),
            "current_medications": forms.Textarea(attrs={"rows": 4}),
            "relevant_conditions": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.duplicates: list[Patient] = []
        self.fields["responsible_clinician"].queryset = User.objects.filter(
            role=Role.CLINICIAN, is_active=True
        )
        self.fields["primary_nurse"].queryset = User.objects.filter(role=Role.NURSE, is_active=True)
        self.fields["mrn"].help_text = gettext_lazy(
            "4 to 20 letters and digits; spaces and hyphens are ignored."
        )
        self.fields["preferred_language"].choices = language_choices(
            self.instance.preferred_language if self.instance.pk else None
        )
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            del self.fields["confirm_different_person"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                gettext_lazy("Who they are"),
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "mrn",
            ),
            Fieldset(gettext_lazy("Contact"), "email", "phone", "preferred_language"),
            Fieldset(gettext_lazy("Care team"), "responsible_clinician", "primary_nurse"),
            Fieldset(
                gettext_lazy("Clinical"),
                "diagnosis",
                "diagnosis_onset",
                "current_medications",
                "relevant_conditions",
                "notes",
            ),
        )

    def clean_given_name(self) -> str:
        return self.cleaned_data["given_name"].strip()

    def clean_family_name(self) -> str:
        return self.cleaned_data["family_name"].strip()

    def clean_mrn(self) -> str:
        try:
            mrn = normalise_mrn(self.cleaned_data["mrn"])
        except InvalidMRN:
            raise forms.ValidationError(
                gettext_lazy(
                    "A medical record number has 4 to 20 letters and digits "
                    "(spaces and hyphens are ignored)."
                )
            ) from None
        holder = Patient.objects.filter(mrn=mrn).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise forms.ValidationError(
                format_html(
                    gettext_lazy(
                        'This number already belongs to <a href="{}">{}</a>. '
                        "Open that record instead of enrolling again."
                    ),
                    reverse("patients:detail", args=[holder.uuid]),
                    holder.full_name,
                )
            )
        return mrn

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not email:
            return ""
        own_user_id = self.instance.user_id if self.instance.pk else None
        holder = User.objects.filter(email__iexact=email).exclude(pk=own_user_id).first()
        if holder is None:
            return email
        patient = Patient.objects.filter(user=holder).first()
        if patient is not None:
            raise forms.ValidationError(
                format_html(
                    gettext_lazy('This email address is already used by <a href="{}">{}</a>.'),
                    reverse("patients:detail", args=[patient.uuid]),
                    patient.full_name,
                )
            )
        raise forms.ValidationError(
            gettext_lazy("This email address is already used by a staff account.")
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                gettext_lazy(
                    "Use digits, spaces and an optional leading +, for example +44 20 7946 0123."
                )
            )
        return phone

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise forms.ValidationError(gettext_lazy("The date of birth cannot be in the future."))
        if self.today.year - born.year > OLDEST_AGE_YEARS:
            raise forms.ValidationError(
                gettext_lazy("That would make the patient older than %(years)s; check the year.")
                % {"years": OLDEST_AGE_YEARS}
            )
        return born

    def clean(self):
        cleaned = super().clean()
        onset, born = cleaned.get("diagnosis_onset"), cleaned.get("date_of_birth")
        if onset and onset > self.today:
            self.add_error(
                "diagnosis_onset", gettext_lazy("The onset date cannot be in the future.")
            )
        elif onset and born and onset < born:
            self.add_error(
                "diagnosis_onset",
                gettext_lazy("The onset date cannot be before the date of birth."),
            )
        if "confirm_different_person" in self.fields and not self.errors:
            _, self.duplicates = possible_duplicates(
                mrn=None,
                given_name=cleaned["given_name"],
                family_name=cleaned["family_name"],
                date_of_birth=cleaned["date_of_birth"],
            )
            if self.duplicates and not cleaned.get("confirm_different_person"):
                self.add_error(
                    "confirm_different_person",
                    gettext_lazy(
                        "A patient with this name and date of birth is already enrolled. "
                        "Open their record, or tick this box if this is a different person."
                    ),
                )
        return cleaned

    def record_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in RECORD_FIELDS}


class PatientEditForm(PatientForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        # The crispy layout renders only what it names: without this the hidden field was
        # never in the page, so every save came back as an error on a field nobody could see.
        self.helper.layout.append("version")

    def clean_version(self) -> int:
        version = self.cleaned_data["version"]
        if version > self.instance.version:
            raise forms.ValidationError(gettext_lazy("Open the record again and redo the change."))
        return version


class AllergyForm(forms.ModelForm):
    """One allergy row. The blank rows for new allergies are optional, so they are not marked
    required; a reaction or severity without a substance is still refused."""

    class Meta:
        model = Allergy
        fields = ("substance", "reaction", "severity")
        labels = ALLERGY_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substance"].required = False
        self.fields["severity"].required = False

    def clean(self):
        cleaned = super().clean()
        named = (cleaned.get("substance") or "").strip()
        described = (cleaned.get("reaction") or "").strip()
        if not cleaned.get("DELETE") and not named and (described or self.instance.pk):
            self.add_error(
                "substance",
                gettext_lazy("Name the substance, or tick Delete to remove this allergy."),
            )
        return cleaned


def check_allergy_statement(form, formset) -> bool:
    """ "No known allergies" and a listed allergy contradict each other: refuse both."""
    if form.cleaned_data.get("no_known_allergies") and allergies_from(formset):
        form.add_error(
            "no_known_allergies",
            gettext_lazy("An allergy is listed below. Untick this, or remove the allergy."),
        )
        return False
    return True


AllergyFormSet = inlineformset_factory(
    Patient,
    Allergy,
    form=AllergyForm,
    fields=("substance", "reaction", "severity"),
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def allergies_from(formset) -> list[AllergyData]:
    return [
        AllergyData(
            substance=form.cleaned_data["substance"].strip(),
            reaction=form.cleaned_data.get("reaction", "").strip(),
            severity=form.cleaned_data.get("severity") or "unknown",
        )
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("substance", "").strip()
    ]


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("For example: moved to another clinic, or died."),
    )
