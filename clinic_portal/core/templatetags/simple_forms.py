"""``{{ field|bootstrap_widget }}``: a form field's widget with Bootstrap's classes, for short
forms drawn by ``forms/simple.html`` instead of crispy-forms.

Measured on the password form (docs/performance.md): crispy's render of three fields cost more
than the rest of the page, and most of what remained was Django's three widget templates per
``<input>``. A plain input is therefore written here directly, with the same attributes Django's
``input.html`` would write; other widgets (selects, checkboxes, text areas) use their templates.
"""

from __future__ import annotations

from django import forms, template
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import format_html

register = template.Library()

_CLASSES = {
    forms.CheckboxInput: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}
_PLAIN_INPUTS = {"text", "password", "email", "number", "date", "tel", "url", "search"}


@register.filter
def bootstrap_widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    css = next((css for kind, css in _CLASSES.items() if isinstance(widget, kind)), "form-control")
    if field.errors:
        css += " is-invalid"
    if not isinstance(widget, Input) or widget.input_type not in _PLAIN_INPUTS:
        return field.as_widget(attrs={"class": css})
    # What BoundField.as_widget() and input.html do, without rendering two templates.
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        flatatt(context["attrs"]),
    )
