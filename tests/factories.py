"""Factories for test data. Every value is synthetic."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import ROLE_GROUPS, Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.clinic.invalid")
    full_name = factory.Faker("name")
    role = Role.CLINICIAN
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        if create and self.role in ROLE_GROUPS:
            self.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[self.role])[0])


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Patient"

    user = factory.SubFactory(
        UserFactory,
        role=Role.PATIENT,
        full_name=factory.LazyAttribute(
            lambda o: f"{o.factory_parent.given_name} {o.factory_parent.family_name}"
        ),
    )
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=25, maximum_age=80)
    sex = "female"
    mrn = factory.Sequence(lambda n: f"MRN{n:06d}")
    responsible_clinician = factory.SubFactory(UserFactory, role=Role.CLINICIAN)
    current_medications = "Methotrexate 15 mg weekly"
