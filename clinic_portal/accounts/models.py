from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic_portal.accounts.roles import STAFF_ROLES, Role


def normalise_login(username: object) -> str:
    """The one spelling of a log-in name: the login look-up and the lockout counter both use it,
    so ``Nurse@Clinic`` and ``nurse@clinic `` are the same person to both."""
    return str(username or "").strip().lower()


def lockout_username(request, credentials) -> str:
    """django-axes' ``AXES_USERNAME_CALLABLE``: lock on the normalised name, not on what was typed."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get(field)
    return normalise_login(raw)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, password: str | None, **fields) -> User:
        if not email and fields.get("role") != Role.PATIENT:
            raise ValueError("Staff accounts need an email address.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str) -> User:
        # Emails are stored lower-cased; people type them however they like.
        return self.get(email__iexact=normalise_login(username))

    def create_user(self, email: str | None, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


# Titles people are greeted with, followed by their family name rather than their first name.
HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sister"})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff of the clinic or a patient. Logs in with their email."""

    # Patients without an email address still have an (inactive) account, so email may be empty.
    email = models.EmailField(
        _("email address"), max_length=254, unique=True, null=True, blank=True
    )
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May log in to the Django admin.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # The interface language a member of staff chose; empty: their browser's. A patient's comes
    # from their preferred language on the patient record (saved_language).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            # The rheumatologists of a filter's list, in name order, among tens of thousands of
            # patients' accounts (a full scan per worklist and patient-list page otherwise).
            models.Index(fields=["role", "full_name"], name="accounts_user_role_name_idx"),
        ]
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email or f"user {self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """How to greet someone: "Dr Okafor" for "Dr Amara Okafor", "Tomas" for "Tomas Berg"."""
        words = self.full_name.split()
        if not words:
            return self.email or ""
        if words[0].rstrip(".").lower() in HONORIFICS and len(words) > 1:
            return f"{words[0]} {words[-1]}"
        return words[0]

    def saved_language(self) -> str:
        """The language this user chose to read the portal in; "" leaves it to the browser.

        A patient's is their preferred language, and English when the portal is not written in
        it (an "other" or older answer)."""
        profile = getattr(self, "patient_profile", None) if self.is_patient else None
        if profile is not None:
            preferred = profile.preferred_language
            codes = {code.split("-")[0]: code for code, _name in settings.LANGUAGES}
            return codes.get(preferred, settings.LANGUAGE_CODE)
        return self.language

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_care_team(self) -> bool:
        return self.role in STAFF_ROLES
