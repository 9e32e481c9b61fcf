"""The CI check that no text people read is left unwrapped in the project's Python."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_python_strings.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_python_strings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


UNWRAPPED = """\
from django import forms
from django.contrib import messages
from django.db import models


class Colour(models.TextChoices):
    RED = "red", "Bright red"
    BLUE = "blue"


class Patient(models.Model):
    mrn = models.CharField("medical record number", max_length=20)
    notes = models.TextField(help_text="Anything the nurse should know.")

    class Meta:
        verbose_name_plural = "patients"


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"placeholder": "Type here", "rows": 3}),
    )
    mood = forms.ChoiceField(choices=[("ok", "Fine"), ("bad", "Not well")])

    def clean_body(self):
        raise forms.ValidationError(f"Too long by {len(self.cleaned_data['body'])} letters.")

    def clean(self):
        self.add_error("body", "Say what happened.")


class SavingRefused(Exception):
    pass


LABELS = {"a": "First step", "b": "second"}


def save(request, form, days):
    messages.success(request, "Note saved.")
    messages.add_message(request, messages.INFO, "Seen " + str(days) + " days ago")
    raise SavingRefused("body", "The note is already signed.")


def page(request):
    return render(request, "notes.html", {"title": "All notes", "tab": "week"})
"""

REPORTED = [
    (7, "'Bright red'"),
    (8, "choice Colour.BLUE has no translatable label"),
    (12, "'medical record number'"),
    (13, "'Anything the nurse should know.'"),
    (16, "'patients'"),
    (21, "'Your note'"),
    (22, "'Type here'"),
    (24, "'Fine'"),
    (24, "'Not well'"),
    (27, "f-string 'Too long by letters.'"),
    (30, "'Say what happened.'"),
    (37, "'First step'"),
    (41, "'Note saved.'"),
    (42, "'Seen'"),
    (42, "'days ago'"),
    (43, "'The note is already signed.'"),
    (47, "'All notes'"),
]

WRAPPED = """\
from django import forms
from django.contrib import messages
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext


class Colour(models.TextChoices):
    RED = "red", gettext_lazy("Bright red")


class Patient(models.Model):
    mrn = models.CharField(gettext_lazy("medical record number"), max_length=20)
    doctor = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    language = models.CharField(choices=[("fr", "Français")], max_length=2)  # i18n: same in every language


class NoteForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Your note"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_body(self):
        raise forms.ValidationError(
            _("Too long by %(n)s letters."), code="too_long", params={"n": 3}
        )


class SavingRefused(Exception):
    pass


LABELS = {"a": gettext_lazy("First step"), "b": "second"}


def save(request, days):
    messages.success(request, pgettext("note", "Saved."))
    messages.info(request, ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days})
    if days > 9:
        raise SavingRefused("body", _("The note is already signed."))
    raise ValueError(f"days must be small, not {days}")
    raise SavingRefused("Only developers read this.")  # i18n: not shown


def page(request):
    return render(request, "notes.html", {"title": _("All notes"), "tab": "week"})
"""


def test_unwrapped_text_is_reported_with_its_file_and_line(checker, tmp_path, capsys):
    source = tmp_path / "views.py"
    source.write_text(UNWRAPPED, encoding="utf-8")

    assert checker.main([str(tmp_path)]) == 1

    output = capsys.readouterr().out
    reported = [
        tuple(line.split(": ", 1)) for line in output.splitlines() if line.startswith(str(source))
    ]
    assert reported == [(f"{source}:{line}", text) for line, text in REPORTED]
    assert "17 unwrapped string(s) in Python" in output


def test_wrapped_text_codes_and_marked_exceptions_pass(checker, tmp_path, capsys):
    (tmp_path / "clean.py").write_text(WRAPPED, encoding="utf-8")

    assert checker.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_an_f_string_inside_gettext_is_reported(checker):
    findings = checker.check_source(
        'from django.utils.translation import gettext as _\nx = _(f"Hi {name}")\n', "a.py"
    )
    assert [(f.line, f.text) for f in findings] == [
        (2, "f-string inside gettext is never extracted")
    ]


def test_migrations_tests_and_the_pure_cores_are_not_checked(checker):
    root = SCRIPT.parents[1]
    checked = {
        p.relative_to(root).as_posix() for p in checker.python_files(root / a for a in checker.APPS)
    }
    assert "patients/views.py" in checked
    assert "clinic_portal/audit/models.py" in checked
    assert (
        not {
            "screening/engine/rules.py",
            "followups/rules.py",
            "treatment/core.py",
            "interop/hl7/oru.py",
            "patients/migrations/0001_initial.py",
        }
        & checked
    )


def test_the_project_python_is_wrapped(checker, capsys):
    assert checker.main([]) == 0, capsys.readouterr().out
