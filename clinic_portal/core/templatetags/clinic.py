"""Shared pieces of pages: badges and the small formats used everywhere (the patient banner,
which gathers several apps, is ``{% load care %}``)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html import escape

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_lazy

register = template.Library()

# The navigation links, drawn once per process for each (role, administrator or not, language,
# section, script prefix): a few dozen strings at most. They change only with the code (the
# URLs, the labels and their translations), which restarts the process, so they need no shared
# cache and no invalidation; a page pays a dictionary lookup instead of a cache round trip.
_NAV_LINKS: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def nav_links(context) -> SafeString:
    user = context["user"]
    key = (
        user.role,
        user.is_superuser,
        get_language(),
        str(context["nav_section"]),
        get_script_prefix(),
    )
    html = _NAV_LINKS.get(key)
    if html is None:
        fragment = context.template.engine.get_template("includes/_navbar_links.html")
        html = _NAV_LINKS[key] = fragment.render(context)  # a SafeString
    return html


# The navbar and the footer, drawn once per process for each (signed in or not, role,
# administrator or not, language, section, script prefix) with marks where the person's own
# values go: their names, the page's CSRF token and its path (the language switcher's "next").
# Each page then only puts its escaped values in place of the marks. Measured on the password
# form, the two were about a third of the page's template work (two includes, the switcher's
# loop, a dozen variables); they depend otherwise only on the code, the settings and the
# translations, which restart the process. Nothing per person is kept.
_FRAGMENTS: dict[tuple, str] = {}
_MARK = re.compile(r"@@clinic:(short_name|full_name|next_path|csrf_token)@@")


def _own_values(context) -> dict[str, str]:
    user = context.get("user")
    request = context.get("request")
    token = context.get("csrf_token")
    return {
        "short_name": str(user.get_short_name())
        if getattr(user, "is_authenticated", False)
        else "",
        "full_name": str(getattr(user, "full_name", "")),
        "next_path": request.get_full_path() if request is not None else "",
        "csrf_token": str(token) if token else "",
    }


def _fragment(context, name: str, key: tuple) -> SafeString:
    template = context.template.engine.get_template(name)
    if context.get("request") is None:  # an error page drawn without a request: as it is
        return SafeString(template.render(context))
    html = _FRAGMENTS.get(key)
    if html is None:
        marks = {mark: f"@@clinic:{mark}@@" for mark in ("short_name", "full_name", "next_path")}
        if context.get("csrf_token") and str(context.get("csrf_token")) != "NOTPROVIDED":
            marks["csrf_token"] = "@@clinic:csrf_token@@"
        with context.push(**marks):
            html = _FRAGMENTS[key] = template.render(context)
    values = _own_values(context)
    return SafeString(_MARK.sub(lambda mark: escape(values[mark.group(1)]), html))


def _csrf_key(context) -> bool:
    token = context.get("csrf_token")
    return bool(token) and str(token) != "NOTPROVIDED"


@register.simple_tag(takes_context=True)
def navbar(context) -> SafeString:
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    key = (
        "navbar",
        signed_in,
        getattr(user, "role", None) if signed_in else None,
        getattr(user, "is_superuser", False) if signed_in else False,
        get_language(),
        str(context.get("nav_section", "")),
        get_script_prefix(),
        _csrf_key(context),
    )
    return _fragment(context, "includes/_navbar.html", key)


@register.simple_tag(takes_context=True)
def footer(context) -> SafeString:
    key = ("footer", get_language(), get_script_prefix(), _csrf_key(context))
    return _fragment(context, "includes/_footer.html", key)


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

    from django.utils.formats import date_format

    try:
        return date_format(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


@register.filter
def celsius(value) -> str:
    try:
        return f"{Decimal(str(value)):.1f} °C"
    except (InvalidOperation, ValueError):
        return ""


OUTCOMES = {
    "clear": gettext_lazy("Clear"),
    "needs_review": gettext_lazy("Needs review"),
    "incomplete": gettext_lazy("Incomplete"),
    "contraindicated": gettext_lazy("Contraindicated"),
}


@register.filter
def outcome_label(value) -> str:
    """A screening outcome code in words ("needs_review" → "Needs review")."""
    return str(OUTCOMES.get(value, str(value).replace("_", " ").capitalize()))


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
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment, depth=1)}


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
