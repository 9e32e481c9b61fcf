"""Education pages: drafts, immutable published versions, assignments to patients and the
receipts that say who read what."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinic_portal.core.links import uuid_url


class ImmutableVersionError(Exception):
    pass


class PageQuerySet(models.QuerySet["Page"]):
    def published(self) -> PageQuerySet:
        return self.filter(current_version__isnull=False, archived_at__isnull=True)

    def for_patients(self) -> PageQuerySet:
        return self.published().filter(audience=Page.Audience.PATIENTS)


class Page(models.Model):
    class Audience(models.TextChoices):
        PATIENTS = "patients", _("Patients")
        STAFF = "staff", _("Staff")

    # The working copy's editable fields: the form's fields, in its order, and all a draft
    # service may write.
    DRAFT_FIELDS = (
        "title",
        "slug",
        "summary",
        "body",
        "tags",
        "audience",
        "related_medicine",
        "essential",
        "in_starter_pack",
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PATIENTS)
    related_medicine = models.CharField(max_length=60, default="Kineret (anakinra)")
    essential = models.BooleanField(
        default=False, help_text=_("Essential pages are followed up when unread for a week.")
    )
    in_starter_pack = models.BooleanField(
        default=False, help_text=_("Assigned automatically when a patient starts Kineret.")
    )
    # The working copy; publishing copies it into a new PageVersion.
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown. Raw HTML is removed when the page is shown."))
    tags = models.CharField(max_length=200, blank=True, help_text=_("Topic tags, comma-separated."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    current_version = models.OneToOneField(
        "PageVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # A draft its author asked a rheumatologist to review and publish; publishing clears it.
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return uuid_url("education:page", self.uuid)

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def state(self) -> str:
        if self.archived_at:
            return "archived"
        if self.current_version_id is None:
            return "draft"
        return "published"

    @property
    def has_unpublished_changes(self) -> bool:
        """Whether publishing gives readers something new: a first version, words changed since
        the current one, or an archived page coming back."""
        latest = self.current_version
        if latest is None or self.archived_at is not None:
            return True
        return (latest.title, latest.summary, latest.body, latest.tags) != (
            self.title,
            self.summary,
            self.body,
            self.tags,
        )

    @property
    def state_label(self) -> str:
        return {
            "archived": pgettext_lazy("education page state", "archived"),
            "draft": pgettext_lazy("education page state", "draft"),
            "published": pgettext_lazy("education page state", "published"),
        }[self.state]


class ContentLanguage(models.TextChoices):
    """The languages a page is written in: English, the original, and its translations."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


TRANSLATION_LANGUAGES = (ContentLanguage.FRENCH, ContentLanguage.SPANISH)


class PageVersion(models.Model):
    """A published text: of the English page, or of one of its translations. Each language
    numbers its own versions; a translation's version names the English version it translates."""

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="versions")
    language = models.CharField(
        max_length=8, choices=ContentLanguage.choices, default=ContentLanguage.ENGLISH
    )
    source_version = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text=_("For a translation: the English version it was written from."),
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    body_html = models.TextField()
    tags = models.CharField(max_length=200, blank=True)
    reading_minutes = models.PositiveSmallIntegerField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "number"], name="page_version_unique"
            ),
        ]

    def __str__(self) -> str:
        suffix = "" if self.language == ContentLanguage.ENGLISH else f" ({self.language})"
        return f"{self.title} v{self.number}{suffix}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableVersionError(
                "A published version is never changed; publish a new one."
            )  # i18n: not shown
        super().save(*args, **kwargs)


class PageTranslation(models.Model):
    """A page's text in another language: a working copy, published into versions like the
    English page. It is out of date once the English page has a version it was not written from."""

    DRAFT_FIELDS = ("title", "summary", "body")

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(
        max_length=8, choices=[(c.value, c.label) for c in TRANSLATION_LANGUAGES]
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown. Raw HTML is removed when the page is shown."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    current_version = models.OneToOneField(
        PageVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["page", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_translation_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page} ({self.language})"

    @property
    def state(self) -> str:
        """draft (never published), current, or out_of_date (the English page moved on)."""
        if self.current_version_id is None:
            return "draft"
        if self.current_version.source_version_id != self.page.current_version_id:
            return "out_of_date"
        return "current"


class Assignment(models.Model):
    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="assignments")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="education_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=16, default="manual")

    class Meta:
        ordering = ["assigned_at", "id"]
        # The rheumatologist's home lists the oldest unread essential pages first: read in
        # this order, the scan stops after a page instead of reading every assignment.
        indexes = [models.Index(fields=["assigned_at", "id"], name="assignment_assigned_idx")]
        constraints = [
            models.UniqueConstraint(fields=["page", "patient"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page} for {self.patient_id}"


class Receipt(models.Model):
    class Kind(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="education_receipts"
    )
    version = models.ForeignKey(PageVersion, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version", "kind"], name="receipt_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version_id} by {self.patient_id}"
