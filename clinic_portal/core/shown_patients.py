"""Which patients a page's context shows, so that the page can write its read events.

Home pages are composed of panels that change often; rather than each panel remembering to
audit, the home view hands its whole context here. A value counts as showing a patient when it
is a patient (anything with a ``uuid`` and a ``family_name``), or has one as ``.patient``; lists,
tuples, querysets, pages and dicts are looked into, two levels deep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet


def _patient_uuid(value):
    if hasattr(value, "family_name") and hasattr(value, "uuid"):
        return value.uuid
    patient = getattr(value, "patient", None)
    if patient is not None and hasattr(patient, "family_name"):
        return patient.uuid
    return None


def shown_patients(context: Mapping, depth: int = 3) -> list:
    found: dict = {}

    def visit(value, level: int) -> None:
        if level > depth or value is None or isinstance(value, str | bytes | int | float):
            return
        uuid = _patient_uuid(value)
        if uuid is not None:
            found.setdefault(uuid, None)
            return
        if isinstance(value, Mapping):
            for item in value.values():
                visit(item, level + 1)
        elif isinstance(value, list | tuple | set | frozenset | QuerySet) or (
            hasattr(value, "object_list") and isinstance(value, Iterable)
        ):
            for item in value:
                visit(item, level + 1)

    for value in context.values():
        visit(value, 1)
    return list(found)
