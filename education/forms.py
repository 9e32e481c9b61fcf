from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from education.models import Page, PageTranslation

SLUG_MAX = 80


def slug_from(title: str, *, taken) -> str:
    """ "When to call us" becomes ``when-to-call-us``; a taken address gets ``-2``, ``-3``…"""
    base = slugify(title)[: SLUG_MAX - 4].strip("-") or "page"
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = list(Page.DRAFT_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "slug": _(
                "The page's address. Leave it empty and it is made from the title; "
                "lower-case words joined by hyphens."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and "slug" not in self.errors:
            others = Page.objects.exclude(pk=self.instance.pk)
            cleaned["slug"] = slug_from(
                cleaned["title"], taken=lambda slug: others.filter(slug=slug).exists()
            )
        return cleaned


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
        # Bootstrap's class on each box, so a long title wraps beside its box, not below it.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
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
        ("active_kineret", _("Everyone on active Kineret")),
        ("all_active", _("Every current patient")),
    ]
    group = forms.ChoiceField(choices=GROUPS, widget=forms.RadioSelect, label=_("Assign to"))
