"""Shared pieces of staff pages: the patient banner and the small formats used everywhere."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from clinic_portal.core.clock import clinic_today
from followups.models import Alert
from followups.summary import latest_count, therapy_state

register = template.Library()


@register.inclusion_tag("includes/_patient_banner.html")
def patient_banner(patient, heading: bool = False):
    """Who this is, what they are allergic to, where they are with Kineret, their latest count
    and their open alerts: on every staff page about one patient (five small queries)."""
    today = clinic_today()
    return {
        "patient": patient,
        "heading": heading,
        "age": patient.age_on(today),
        "allergies": list(patient.allergies.all()),
        "therapy": therapy_state(patient, today),
        "count": latest_count(patient),
        "alerts": list(
            Alert.objects.open().filter(patient=patient).order_by("-severity", "-created_at")[:5]
        ),
    }


@register.inclusion_tag("includes/_therapy_badge.html")
def therapy_badge(state):
    return {"therapy": state}


@register.inclusion_tag("includes/_anc.html")
def anc(result):
    """A neutrophil count with its date, coloured by the label's thresholds."""
    return {"result": result}


@register.filter
def isodate(value) -> str:
    """A date kept as ISO text (in JSON answers) in the portal's one format: "30 Nov 2026"."""
    import datetime as dt

    from django.utils.dateformat import format as format_date

    try:
        return format_date(dt.date.fromisoformat(str(value)), "j M Y")
    except ValueError:
        return str(value)


@register.filter
def celsius(value) -> str:
    try:
        return f"{Decimal(str(value)):.1f} °C"
    except (InvalidOperation, ValueError):
        return ""


OUTCOMES = {
    "clear": "Clear",
    "needs_review": "Needs review",
    "incomplete": "Incomplete",
    "contraindicated": "Contraindicated",
}


@register.filter
def outcome_label(value) -> str:
    """A screening outcome code in words ("needs_review" → "Needs review")."""
    return OUTCOMES.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def is_under(path: str, prefix: str) -> bool:
    """Whether the page at ``path`` belongs to the navbar entry at ``prefix``."""
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)


@register.filter
def distinct_messages(messages) -> list:
    """Each flash message once: two identical submissions (a double click) say it twice."""
    seen, unique = set(), []
    for message in messages:
        key = (message.level, str(message))
        if key not in seen:
            seen.add(key)
            unique.append(message)
    return unique


@register.filter
def age(moment) -> str:
    """How long ago: "just now", "5 minutes ago", "2 days ago"."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


def _field_names(layout_object) -> list[str]:
    names = []
    for item in getattr(layout_object, "fields", []):
        if isinstance(item, str):
            names.append(item)
        else:
            names += _field_names(item)
    return names


@register.simple_tag
def form_sections(form) -> list[dict]:
    """A long crispy form's fieldsets as sections with how many of their questions have an
    answer: for a progress list beside the form and for jumping between sections."""
    sections = []
    for number, fieldset in enumerate(getattr(form.helper.layout, "fields", []), start=1):
        names = [name for name in _field_names(fieldset) if name in form.fields]
        answered = sum(
            1 for name in names if str(form[name].value() or "").strip() not in ("", "None")
        )
        sections.append(
            {
                "legend": getattr(fieldset, "legend", "") or f"Part {number}",
                "anchor": f"part-{number}",
                "fields": [form[name] for name in names],
                "answered": answered,
                "total": len(names),
            }
        )
    placed = {field.name for section in sections for field in section["fields"]}
    rest = [form[name] for name, field in form.fields.items() if name not in placed]
    rest = [bound for bound in rest if not bound.is_hidden]
    if rest:  # a field the layout forgot still reaches the page (hidden ones render apart)
        sections.append(
            {
                "legend": "Other",
                "anchor": f"part-{len(sections) + 1}",
                "fields": rest,
                "answered": sum(1 for b in rest if str(b.value() or "").strip()),
                "total": len(rest),
            }
        )
    return sections
