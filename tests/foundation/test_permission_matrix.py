"""Walk every URL pattern with real objects of two patients and check docs/permissions.md.

This is the guard against one patient seeing another's data, and against a new view slipping
in without a decision about who may use it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import clinic_today
from education.models import Page
from followups import services as followup_services
from followups.models import FollowUp
from interop import clients as interop_clients
from interop import services as interop_services
from portal import concerns, invitations
from screening import services as screening_services
from tests.screening.cases import CLEAR
from tests.support.mfa import log_in
from treatment import services as treatment_services

MATRIX = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROLES = ["anonymous", "patient_own", "patient_other", "nurse", "clinician", "admin"]


def read_matrix() -> dict[str, dict]:
    rows = {}
    for line in MATRIX.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 8 and ":" in cells[0] and cells[1].isdigit():
            rows[cells[0]] = {
                "codes": dict(zip(ROLES, map(int, cells[1:7]), strict=True)),
                "audited": cells[7] == "yes",
            }
    return rows


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}", list(pattern.pattern.converters)


def test_every_url_pattern_is_in_the_matrix():
    documented = set(read_matrix())
    routed = {name for name, _ in url_names()}
    assert routed - documented == set(), "add these to docs/permissions.md"
    assert documented - routed == set(), "these are documented but no longer routed"


def _world_for(patient, clinician, nurse):
    today = clinic_today()
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers={
            **CLEAR,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "planned_start": today.isoformat(),
        },
        evaluate_now=True,
        anc_sampled_on=today,
        today=today,
    )
    screening = screening_services.sign_screening(
        screening=screening, clinician=clinician, today=today
    )
    therapy = followup_services.start_therapy(
        screening=screening, actor=clinician, start_date=today, interval="daily", today=today
    )
    followup = FollowUp.objects.filter(therapy=therapy).first()
    result = followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("0.8"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    concern = concerns.report_concern(
        patient=patient,
        author=patient.user,
        category="other",
        details={},
        message="A question",
        today=today,
    )
    invitation = invitations.send_invitation(patient=patient, actor=clinician)
    treatment_services.record_injection_teaching(
        therapy=therapy, nurse=nurse, taught_on=today, today=today
    )
    entry = treatment_services.log_injection(
        patient=patient,
        therapy=therapy,
        day=today,
        time=None,
        site="arm_left",
        reaction="large",
        now=timezone.localtime(),
        today=today,
    )
    unmatched = interop_services.receive_hl7(
        f"MSH|^~\\&|LAB|LAB|||||ORU^R01|M-{patient.mrn}|P|2.5.1\rPID|1||NOSUCH1^^^RIVERSIDE"
        f"||X^Y||19700101\rOBR|1||F1|||{today:%Y%m%d}\rOBX|1|NM|751-8^ANC^LN||2|10*9/L|||||F".encode(),
        today=today,
    ).message.results.get()
    api_client, _ = interop_clients.create_client(
        name=f"Hospital {patient.mrn}", scopes=["patient/*.read"], actor=clinician
    )
    return {
        "patient_uuid": patient.uuid,
        "screening_uuid": screening.uuid,
        "followup_uuid": followup.uuid,
        "therapy_uuid": therapy.uuid,
        "alert_uuid": patient.alerts.get(source_id=str(result.uuid)).uuid,
        "concern_uuid": concern.uuid,
        "entry_uuid": entry.uuid,
        "item_uuid": entry.attention_items.get().uuid,
        "lab_result_uuid": unmatched.uuid,
        "api_client_uuid": api_client.uuid,
        "resource_uuid": patient.uuid,
        "invite_token": invitations.link_for(invitation).rstrip("/").rsplit("/", 1)[1],
    }


def _kwargs(name: str, params: list[str], world: dict) -> dict:
    fixed = {
        "page_uuid": Page.objects.get(slug="when-to-call").uuid,
        "slug": "when-to-call",
        "language": "fr",
        "category": "fever",
        "resource_type": "Patient",
        "tab": "timeline",  # the record's tabs: each is checked in tests/patients/test_record.py
        "uidb64": "MQ",
        "token": world["invite_token"] if name == "portal:accept" else "not-a-real-token",
    }
    return {param: world.get(param, fixed.get(param)) for param in params}


@pytest.mark.django_db
def test_every_url_answers_every_role_as_the_matrix_says(
    patient, other_patient, nurse, clinician, clinic_admin
):
    worlds = {
        "own": _world_for(patient, clinician, nurse),
        "other": _world_for(other_patient, clinician, nurse),
    }
    clients = {"anonymous": Client()}
    for role, user in {
        "patient_own": patient.user,
        "patient_other": patient.user,
        "nurse": nurse,
        "clinician": clinician,
        "admin": clinic_admin,
    }.items():
        clients[role] = log_in(Client(), user)
    matrix = read_matrix()
    mismatches = []
    for name, params in url_names():
        for role in ROLES:
            world = worlds["other" if role == "patient_other" else "own"]
            url = reverse(name, kwargs=_kwargs(name, params, world))
            reads_before = AuditEvent.objects.reads().filter(patient_uuid=patient.uuid).count()
            status = clients[role].get(url).status_code
            expected = matrix[name]["codes"][role]
            if status != expected:
                mismatches.append(f"{name} as {role}: {status}, expected {expected}")
            audited = role in {"nurse", "clinician"} and status == 200 and matrix[name]["audited"]
            reads_after = AuditEvent.objects.reads().filter(patient_uuid=patient.uuid).count()
            if audited and reads_after == reads_before:
                mismatches.append(f"{name} as {role}: no read event in the access log")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_malformed_ids_in_every_url_are_404_not_500(clinician):
    client = Client()
    log_in(client, clinician)
    for name, params in url_names():
        uuid_params = [p for p in params if p.endswith("_uuid")]
        if not uuid_params:
            continue
        url = reverse(
            name,
            kwargs={
                p: "00000000-0000-0000-0000-000000000000" for p in params if p.endswith("_uuid")
            }
            | {p: "x" for p in params if not p.endswith("_uuid")},
        )
        for bad in ("not-a-uuid", "00000000-0000-0000-0000-00000000000Z", "'%20OR%201=1"):
            mangled = url.replace("00000000-0000-0000-0000-000000000000", bad, 1)
            assert client.get(mangled).status_code == 404, mangled
            # Hand-built on purpose: a mangled URL renders no page and so no form.
            assert client.post(mangled).status_code == 404, mangled
