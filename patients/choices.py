from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Diagnosis(models.TextChoices):
    RHEUMATOID_ARTHRITIS = "rheumatoid_arthritis", _("Rheumatoid arthritis")
    STILLS_DISEASE = "stills_disease", _("Still's disease")
    CAPS = "caps", _("Cryopyrin-associated periodic syndromes (CAPS)")
    DIRA = "dira", _("Deficiency of IL-1 receptor antagonist (DIRA)")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe (anaphylaxis or hospital care)")
    UNKNOWN = "unknown", _("Not known")


class Language(models.TextChoices):
    """A patient's preferred language. The portal is written in English, French and Spanish; a
    patient who reads another language chooses "other" and gets the English pages. The other
    codes are answers given before the portal offered only these; they stay readable, and the
    profile keeps them selected until the patient picks again."""

    ENGLISH = "en", "English"  # i18n: same in every language
    FRENCH = "fr", "Français"  # i18n: same in every language
    SPANISH = "es", "Español"  # i18n: same in every language
    OTHER = "other", _("Other (English pages)")
    # Earlier answers: still stored, never offered.
    WELSH = "cy", _("Welsh (English pages)")
    POLISH = "pl", _("Polish (English pages)")
    ROMANIAN = "ro", _("Romanian (English pages)")
    PUNJABI = "pa", _("Punjabi (English pages)")
    URDU = "ur", _("Urdu (English pages)")
    BENGALI = "bn", _("Bengali (English pages)")
    GUJARATI = "gu", _("Gujarati (English pages)")
    ARABIC = "ar", _("Arabic (English pages)")
    PORTUGUESE = "pt", _("Portuguese (English pages)")
    SOMALI = "so", _("Somali (English pages)")


OFFERED_LANGUAGES = (Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.OTHER)


def language_choices(current: str | None = None) -> list[tuple[str, str]]:
    """What a language field offers: the portal's languages and "other", plus an earlier
    answer when the record holds one, so saving the form does not silently change it."""
    choices = [(language.value, language.label) for language in OFFERED_LANGUAGES]
    if current and current not in OFFERED_LANGUAGES and current in Language.values:
        choices.append((current, Language(current).label))
    return choices
