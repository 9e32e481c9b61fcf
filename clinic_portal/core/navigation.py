"""The navigation bar: each entry names the roles that may use it, so nobody sees a dead end."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clinic_portal.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]


STAFF = frozenset({Role.CLINICIAN, Role.NURSE})

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Patients"), "patients:list", STAFF),
    NavItem(_("Follow-ups"), "followups:worklist", STAFF),
    NavItem(_("Reports"), "portal:triage", STAFF),
    NavItem(_("Education"), "education:pages", STAFF),
    NavItem(_("Diary items"), "treatment:attention", STAFF),
    NavItem(_("My treatment"), "treatment:mine", frozenset({Role.PATIENT})),
    NavItem(_("Lab results"), "interop:unmatched", STAFF),
    NavItem(_("API clients"), "interop:api_clients", frozenset({Role.ADMIN})),
    NavItem(_("My reading"), "education:library", frozenset({Role.PATIENT})),
    NavItem(_("Tell the care team"), "portal:concern_start", frozenset({Role.PATIENT})),
    NavItem(_("My reports"), "portal:concerns", frozenset({Role.PATIENT})),
    NavItem(_("My details"), "portal:profile", frozenset({Role.PATIENT})),
    NavItem(_("Who saw my record"), "portal:access_log", frozenset({Role.PATIENT})),
]


def items_for(role: str | None) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]


@functools.cache
def _href(url_name: str, script_prefix: str) -> str:
    return reverse(url_name)


class ActiveSection:
    """Which entries of the bar a page belongs to ("home", or the entries' addresses), worked
    out only when a template asks: it is part of the key of the navigation's cached fragment,
    which is the same for everyone of a role on pages of the same section."""

    def __init__(self, path: str, items: list[NavItem]):
        self.path, self.items = path, items

    @functools.cached_property
    def value(self) -> str:
        if self.path == "/":
            return "home"
        prefix = get_script_prefix()
        hrefs = (_href(item.url_name, prefix) for item in self.items)
        return " ".join(href for href in hrefs if href != "/" and self.path.startswith(href))

    def __str__(self) -> str:
        return self.value
