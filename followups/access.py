"""Therapy, follow-ups, results and alerts are reached only through their patient's access rules."""

from __future__ import annotations

from followups.models import Alert, FollowUp, NeutrophilResult, TherapyCourse
from patients.access import get_patient_object_for


def get_followup_for(user, key) -> FollowUp:
    return get_patient_object_for(user, FollowUp.objects.select_related("therapy"), key)


def get_therapy_for(user, key) -> TherapyCourse:
    return get_patient_object_for(user, TherapyCourse.objects.all(), key)


def get_result_for(user, key) -> NeutrophilResult:
    return get_patient_object_for(user, NeutrophilResult.objects.all(), key)


def get_alert_for(user, key) -> Alert:
    return get_patient_object_for(user, Alert.objects.select_related("clinician"), key)
