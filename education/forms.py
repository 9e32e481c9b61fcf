from django import forms
from django.utils.translation import gettext_lazy as _

from education.models import Page, PageTranslation


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = list(Page.DRAFT_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"slug": "The page's address: lower-case words joined by hyphens."}


class TranslationForm(forms.ModelForm):
    class Meta:
        model = PageTranslation
        fields = list(PageTranslation.DRAFT_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }


class AssignForm(forms.Form):
    pages = forms.ModelMultipleChoiceField(
        queryset=Page.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Pages to assign"),
    )

    def __init__(self, *args, patient=None, **kwargs):
        super().__init__(*args, **kwargs)
        pages = Page.objects.for_patients()
        if patient is not None:  # offer only what the patient does not have yet
            pages = pages.exclude(assignments__patient=patient)
        self.fields["pages"].queryset = pages


class BulkAssignForm(forms.Form):
    GROUPS = [
        ("active_kineret", "Everyone on active Kineret"),
        ("all_active", "Every current patient"),
    ]
    group = forms.ChoiceField(choices=GROUPS, widget=forms.RadioSelect, label=_("Assign to"))
