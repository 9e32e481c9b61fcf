"""``{% uuid_url "app:name" obj.uuid %}``: the ``{% url %}`` tag for per-row links (see
``clinic_portal.core.links``)."""

from django import template

from clinic_portal.core.links import uuid_url as build

register = template.Library()


@register.simple_tag
def uuid_url(name: str, value) -> str:
    return build(name, value)
