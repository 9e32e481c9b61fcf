"""The CI check that no template text is left outside {% translate %} / {% blocktranslate %}."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_template_strings.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_template_strings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


FIXTURE = """{% extends "base.html" %}
{% load i18n %}
{% block title %}{% translate "Wrapped title" %}{% endblock %}
{% block content %}
<h1 class="h2">{% translate "A wrapped heading" %}</h1>
<p>{% blocktranslate trimmed with name=patient.full_name %}
  Hello {{ name }}
{% endblocktranslate %}</p>
<p>Nobody wrapped this sentence.</p>
<a href="{% url 'core:home' %}" title="Back home">{{ patient.full_name }}</a>
<input type="submit" value="Send it">
<p>Kineret · {{ dose }} ×10⁹/L · <code>/fhir/R4/</code></p>
{% include "core/_day_checks.html" with tab="week" title="Due today" %}
<dd>{{ patient.phone|default:"None given" }}</dd>
<div class="alert alert-{{ tags|default:'info' }}">{{ message }}</div>
{% comment %}Notes for developers are not shown.{% endcomment %}
{% endblock %}
"""


def test_bare_text_is_reported_with_its_file_and_line(checker, tmp_path, capsys):
    template = tmp_path / "page.html"
    template.write_text(FIXTURE, encoding="utf-8")

    assert checker.main([str(tmp_path)]) == 1

    output = capsys.readouterr().out
    reported = [
        line.split(": ", 1) for line in output.splitlines() if line.startswith(str(tmp_path))
    ]
    assert reported == [
        [f"{template}:9", "Nobody wrapped this sentence."],
        [f"{template}:10", 'title="Back home"'],
        [f"{template}:11", 'value="Send it"'],
        [f"{template}:13", "Due today"],
        [f"{template}:14", "None given"],
    ]


def test_a_wrapped_template_passes(checker, tmp_path, capsys):
    (tmp_path / "clean.html").write_text(
        '{% load i18n %}<p title="{% translate "Help" %}">{% translate "All wrapped." %}</p>'
        '<button class="btn btn-primary" type="submit">{% translate "Save" %}</button>',
        encoding="utf-8",
    )
    assert checker.main([str(tmp_path)]) == 0


def test_a_pending_template_only_warns_and_the_list_can_only_shrink(checker, tmp_path, capsys):
    bare = tmp_path / "bare.html"
    bare.write_text("<p>Not wrapped yet.</p>", encoding="utf-8")
    clean = tmp_path / "clean.html"
    clean.write_text("{% load i18n %}<p>{% translate 'Wrapped.' %}</p>", encoding="utf-8")
    pending = tmp_path / "pending.txt"

    pending.write_text(f"# not wrapped yet\n{bare.as_posix()}\n", encoding="utf-8")
    assert checker.main(["--pending", str(pending), str(bare), str(clean)]) == 0

    pending.write_text(f"{bare.as_posix()}\n{clean.as_posix()}\n", encoding="utf-8")
    assert checker.main(["--pending", str(pending), str(bare), str(clean)]) == 1
    assert "every string is wrapped now" in capsys.readouterr().out


def test_the_staff_templates_of_this_work_are_wrapped(checker, capsys):
    """Core homes, patients, follow-ups, education, interop and audit (the parts not pending)."""
    root = SCRIPT.parents[1]
    pending = checker.read_pending(root / "scripts" / "template_strings_pending.txt")
    folders = ["core", "patients", "followups", "education", "interop", "audit"]
    files = [
        path
        for folder in folders
        for path in checker.template_files([root / "templates" / folder])
        if path.relative_to(root).as_posix() not in pending
    ]
    assert len(files) > 50
    findings = [f for path in files for f in checker.check_source(path.read_text(), str(path))]
    assert findings == []
