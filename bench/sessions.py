"""Print logged-in (and second-factor verified) session cookies and object URLs for the bench."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")

import django

django.setup()

from importlib import import_module  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from clinic_portal.accounts.models import User  # noqa: E402
from clinic_portal.accounts.roles import Role  # noqa: E402
from clinic_portal.accounts.session_timeout import LAST_SEEN, STARTED  # noqa: E402
from patients.models import Patient  # noqa: E402


def cookie_for(user: User) -> str:
    # The configured engine: with CLINIC_CACHE_URL the session is also put in Redis.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "clinic_portal.accounts.signed_in.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[STARTED] = session[LAST_SEEN] = time.time()
    if user.role != Role.PATIENT:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "bench"}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"sessionid={session.session_key}"


def main() -> None:
    clinician = User.objects.filter(role=Role.CLINICIAN).first()
    nurse = User.objects.get_or_create(
        email="bench-nurse@bench.invalid", defaults={"full_name": "Bench Nurse", "role": Role.NURSE}
    )[0]
    patient = Patient.objects.filter(therapies__isnull=False).order_by("pk").first()
    patient.user.is_active = True
    patient.user.save(update_fields=["is_active"])
    print(
        json.dumps(
            {
                "clinician": cookie_for(clinician),
                "nurse": cookie_for(nurse),
                "patient": cookie_for(patient.user),
                "record": patient.get_absolute_url(),
                "screening": patient.screenings.first().get_absolute_url(),
                # A family name's stem (seeded names are "Okafor123"): about a tenth of the
                # patients match at any scale, so both scales fill a page of results.
                "search": f"/patients/?q={patient.family_name.rstrip('0123456789')}",
            }
        )
    )


if __name__ == "__main__":
    main()
