import pytest
from django.contrib.auth.models import Group

from clinic_portal.accounts.roles import ROLE_GROUPS, Role
from tests.factories import UserFactory


@pytest.fixture
def office_admin(db):
    """A clinic administrator as the clinic hires one: admin-site access, not a superuser."""
    user = UserFactory(
        role=Role.ADMIN,
        full_name="Olga Office",
        email="office@test.clinic.invalid",
        is_staff=True,
        is_superuser=False,
    )
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[Role.ADMIN]))
    return user
