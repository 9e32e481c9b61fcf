from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"


class Diagnosis(models.TextChoices):
    RHEUMATOID_ARTHRITIS = "rheumatoid_arthritis", "Rheumatoid arthritis"
    STILLS_DISEASE = "stills_disease", "Still's disease"
    CAPS = "caps", "Cryopyrin-associated periodic syndromes (CAPS)"
    DIRA = "dira", "Deficiency of IL-1 receptor antagonist (DIRA)"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe (anaphylaxis or hospital care)"
    UNKNOWN = "unknown", "Not known"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"
    POLISH = "pl", "Polish"
    ROMANIAN = "ro", "Romanian"
    PUNJABI = "pa", "Punjabi"
    URDU = "ur", "Urdu"
    BENGALI = "bn", "Bengali"
    GUJARATI = "gu", "Gujarati"
    ARABIC = "ar", "Arabic"
    PORTUGUESE = "pt", "Portuguese"
    SPANISH = "es", "Spanish"
    FRENCH = "fr", "French"
    SOMALI = "so", "Somali"
    OTHER = "other", "Other (see notes)"
