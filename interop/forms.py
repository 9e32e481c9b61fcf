from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic_portal.core.widgets import LocalizedDecimalField
from interop.models import ApiClient
from patients.identifiers import InvalidMRN, normalise_mrn


class FindPatientForm(forms.Form):
    mrn = forms.CharField(label=_("Record number of the right patient"), max_length=40)

    def clean_mrn(self) -> str:
        try:
            return normalise_mrn(self.cleaned_data["mrn"])
        except InvalidMRN as error:
            raise forms.ValidationError(str(error)) from None


class AttachForm(forms.Form):
    value = LocalizedDecimalField(
        label=_("Absolute neutrophil count (× 10⁹/L)"),
        help_text=_("As converted from the lab's value; check it against the lab's report."),
        min_value=0,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("I have compared both identities: this result belongs to this patient.")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: not our patient, the lab was told and will resend."),
    )


class ApiClientForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("System name"))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple
    )
