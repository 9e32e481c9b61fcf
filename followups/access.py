"""Therapy, follow-ups, results and alerts are reached only through their patient's access rules."""

from __future__ import annotations

import uuid

from django.db.models import Model, QuerySet
from django.http import Http404

from followups.models import Alert, FollowUp, NeutrophilResult, TherapyCourse
from patients.access import visible_patients


def _get(queryset: QuerySet, user, key) -> Model:
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        raise Http404("Not found.") from None
    obj = (
        queryset.filter(patient__in=visible_patients(user), uuid=parsed)
        .select_related("patient")
        .first()
    )
    if obj is None:
        raise Http404("Not found.")
    return obj


def get_followup_for(user, key) -> FollowUp:
    return _get(FollowUp.objects.select_related("therapy"), user, key)


def get_therapy_for(user, key) -> TherapyCourse:
    return _get(TherapyCourse.objects.all(), user, key)


def get_result_for(user, key) -> NeutrophilResult:
    return _get(NeutrophilResult.objects.all(), user, key)


def get_alert_for(user, key) -> Alert:
    return _get(Alert.objects.select_related("clinician"), user, key)
