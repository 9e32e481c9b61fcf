"""Accounts that stand for other systems in the audit log and on the results they file.

The result tables and the audit log name a user as the one who recorded; a lab or a FHIR client
is not a person, so each gets an account of its own that can never log in (inactive, no usable
password, no role).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.utils.text import slugify

DOMAIN = "interfaces.clinic.invalid"


def _email(kind: str, name: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{kind}.{slugify(name)[:40] or 'unnamed'}.{digest}@{DOMAIN}"


def system_account(kind: str, name: str):
    """The account for the lab or client ``name``; created the first time it is needed."""
    user_model = get_user_model()
    email = _email(kind, name)
    account = user_model.objects.filter(email=email).first()
    if account is None:
        account = user_model.objects.create_user(
            email, None, full_name=f"{kind.capitalize()}: {name}"[:150], role="", is_active=False
        )
    return account


def lab_account(facility: str):
    return system_account("lab", facility or "unnamed lab")
