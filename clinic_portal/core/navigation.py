"""The navigation bar: each entry names the roles that may use it, so nobody sees a dead end."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from clinic_portal.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]


STAFF = frozenset({Role.CLINICIAN, Role.NURSE})

NAV_ITEMS: list[NavItem] = [
    NavItem(gettext_lazy("Patients"), "patients:list", STAFF),
    NavItem(gettext_lazy("Follow-ups"), "followups:worklist", STAFF),
    NavItem(gettext_lazy("Reports"), "portal:triage", STAFF),
    NavItem(gettext_lazy("Education"), "education:pages", STAFF),
    NavItem(gettext_lazy("Diary items"), "treatment:attention", STAFF),
    NavItem(gettext_lazy("My treatment"), "treatment:mine", frozenset({Role.PATIENT})),
    NavItem(gettext_lazy("Lab results"), "interop:unmatched", STAFF),
    NavItem(gettext_lazy("API clients"), "interop:api_clients", frozenset({Role.ADMIN})),
    NavItem(gettext_lazy("My reading"), "education:library", frozenset({Role.PATIENT})),
    NavItem(gettext_lazy("Tell the care team"), "portal:concern_start", frozenset({Role.PATIENT})),
    NavItem(gettext_lazy("My reports"), "portal:concerns", frozenset({Role.PATIENT})),
    NavItem(gettext_lazy("My details"), "portal:profile", frozenset({Role.PATIENT})),
    NavItem(gettext_lazy("Who saw my record"), "portal:access_log", frozenset({Role.PATIENT})),
]


def items_for(role: str | None) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]
