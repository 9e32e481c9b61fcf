"""Writes to user accounts. Each one owns its transaction and its audit record."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import ROLE_GROUPS, Role
from clinic_portal.audit import audit


@transaction.atomic
def create_user_with_role(
    *,
    email: str | None,
    full_name: str,
    role: Role,
    password: str | None = None,
    is_active: bool = True,
    actor: User | None = None,
) -> User:
    """Create a user and put them in their role's group, so Django permissions follow the role."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=role, is_active=is_active
    )
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    user.groups.add(group)
    audit.record("account.create", actor=actor, obj=user, detail={"role": str(role)})
    return user


def end_sessions(*, user: User, actor, keep: str | None = None) -> int:
    """Log a user out everywhere but the session ``keep`` (an admin action for a lost phone or a
    leaver; MFA enrolment keeps the current one)."""
    ended = 0
    for session in Session.objects.exclude(session_key=keep).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    audit.record("account.end_sessions", actor=actor, obj=user, detail={"sessions": ended})
    return ended
