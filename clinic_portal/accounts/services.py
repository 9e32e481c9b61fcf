"""Writes to user accounts. Each one owns its transaction and its audit record."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
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
    # Through the session engine, so that a copy kept in the cache (cached_db) goes too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.exclude(session_key=keep).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session.session_key).delete()
            ended += 1
    audit.record("account.end_sessions", actor=actor, obj=user, detail={"sessions": ended})
    return ended


def user_snapshot(user: User) -> dict:
    """What an audit of an account change compares: fields, groups, permissions, password hash
    (the hash itself is never written to the log, only whether it changed)."""
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
        "password": user.password,
    }


def audit_admin_change(*, user: User, actor, before: dict, created: bool) -> None:
    """One audit event for a change made in the admin site, with every field's before and after.

    Runs inside the admin's own transaction, so the change and its record commit together."""
    after = user_snapshot(user)
    changes = {
        key: {"before": before.get(key), "after": value}
        for key, value in after.items()
        if before.get(key) != value
    }
    if "password" in changes:
        changes["password"] = {"before": "(hidden)", "after": "changed"}
    if not changes and not created:
        return
    audit.record(
        "account.admin_create" if created else "account.admin_change",
        actor=actor,
        obj=user,
        detail={"changes": changes},
    )


def record_admin_password_set(*, user: User, actor) -> None:
    audit.record("account.admin_password_set", actor=actor, obj=user, detail={})
