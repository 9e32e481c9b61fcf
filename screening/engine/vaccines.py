"""The vaccine catalogue: each vaccine's names and brands, and whether it is live
(docs/clinical-rules.md, "Catalogues"; sources ACR-2022-VAX, IDSA-2013, ACIP).

Only names that settle the question are listed. "Flu vaccine", "polio vaccine" or "typhoid
vaccine" could be live or not, so they are deliberately absent: an unrecognised name is never
assumed safe and goes to the clinician as ``UNRECOGNISED_VACCINE``. A name matching both a live
and a non-live entry is treated as live.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from screening.engine.text_match import contains_phrase, words

SOURCES = ("ACR-2022-VAX", "IDSA-2013", "ACIP")


class Covers(StrEnum):
    """What a non-live vaccine protects against, where a follow-up check asks about it
    (docs/clinical-rules.md, "Vaccinations": the review's scope and the flu season's)."""

    INFLUENZA = "influenza"
    PNEUMOCOCCUS = "pneumococcus"
    ZOSTER = "zoster"


@dataclass(frozen=True)
class Vaccine:
    name: str
    live: bool
    aliases: tuple[str, ...]
    covers: Covers | None = None


LIVE_VACCINES: tuple[Vaccine, ...] = (
    Vaccine(
        "MMR (measles, mumps, rubella)",
        True,
        ("MMR", "measles", "mumps", "rubella", "M-M-R II", "Priorix"),
    ),
    Vaccine(
        "MMRV (measles, mumps, rubella, varicella)", True, ("MMRV", "ProQuad", "Priorix-Tetra")
    ),
    Vaccine(
        "Varicella (chickenpox), live",
        True,
        ("varicella", "chickenpox", "chicken pox", "Varivax", "Varilrix"),
    ),
    Vaccine(
        "Zoster vaccine live",
        True,
        ("zoster vaccine live", "live zoster", "zoster live", "ZVL", "Zostavax"),
    ),
    Vaccine(
        "Influenza, live attenuated intranasal (LAIV)",
        True,
        (
            "LAIV",
            "LAIV4",
            "live attenuated influenza",
            "intranasal influenza",
            "nasal influenza",
            "nasal flu",
            "FluMist",
            "Fluenz",
        ),
    ),
    Vaccine("Yellow fever", True, ("yellow fever", "YF-Vax", "Stamaril")),
    Vaccine("Typhoid, oral (Ty21a)", True, ("oral typhoid", "typhoid oral", "Ty21a", "Vivotif")),
    Vaccine("BCG", True, ("BCG", "bacille calmette guerin", "bacillus calmette guerin")),
    Vaccine("Polio, oral (OPV)", True, ("oral polio", "OPV", "bOPV", "nOPV2")),
    Vaccine("Cholera, oral live", True, ("oral cholera", "cholera live", "Vaxchora")),
    Vaccine("Rotavirus", True, ("rotavirus", "RotaTeq", "Rotarix")),
    Vaccine("Dengue", True, ("dengue", "Dengvaxia", "Qdenga", "TAK-003")),
    Vaccine("Chikungunya, live", True, ("chikungunya live", "live chikungunya", "Ixchiq")),
    Vaccine(
        "Smallpox, replicating (ACAM2000)",
        True,
        ("ACAM2000", "replicating smallpox", "smallpox live"),
    ),
)

NON_LIVE_VACCINES: tuple[Vaccine, ...] = (
    Vaccine(
        "Influenza, inactivated or recombinant",
        False,
        (
            "inactivated influenza",
            "recombinant influenza",
            "IIV",
            "IIV3",
            "IIV4",
            "RIV",
            "RIV4",
            "ccIIV4",
            "aIIV",
            "flu jab",
            "flu shot",
            "Fluzone",
            "Flucelvax",
            "Fluad",
            "Afluria",
            "Fluarix",
            "FluLaval",
            "Flublok",
            "Vaxigrip",
            "Influvac",
            "Supemtek",
        ),
        Covers.INFLUENZA,
    ),
    Vaccine(
        "Zoster, recombinant (RZV)",
        False,
        ("recombinant zoster", "zoster recombinant", "RZV", "Shingrix"),
        Covers.ZOSTER,
    ),
    Vaccine(
        "Pneumococcal conjugate or polysaccharide",
        False,
        (
            "pneumococcal",
            "PCV",
            "PCV13",
            "PCV15",
            "PCV20",
            "PCV21",
            "PPSV23",
            "PPV23",
            "Prevnar",
            "Prevenar",
            "Vaxneuvance",
            "Capvaxive",
            "Pneumovax",
        ),
        Covers.PNEUMOCOCCUS,
    ),
    Vaccine(
        "Tetanus, diphtheria (Td) or with pertussis (Tdap)",
        False,
        (
            "Td",
            "Tdap",
            "Tdap-IPV",
            "DTaP",
            "tetanus",
            "diphtheria",
            "Boostrix",
            "Adacel",
            "Tenivac",
            "Revaxis",
            "Repevax",
        ),
    ),
    Vaccine("Hepatitis A", False, ("hepatitis a", "hep a", "Havrix", "Vaqta", "Avaxim")),
    Vaccine(
        "Hepatitis B",
        False,
        (
            "hepatitis b",
            "hep b",
            "Engerix-B",
            "Engerix",
            "Recombivax",
            "Heplisav",
            "PreHevbrio",
            "Twinrix",
            "Fendrix",
        ),
    ),
    Vaccine("HPV", False, ("HPV", "human papillomavirus", "Gardasil", "Cervarix")),
    Vaccine(
        "COVID-19",
        False,
        ("COVID", "COVID-19", "SARS-CoV-2", "Comirnaty", "Spikevax", "Nuvaxovid", "mNEXSPIKE"),
    ),
    Vaccine("RSV", False, ("RSV", "respiratory syncytial virus", "Arexvy", "Abrysvo", "mResvia")),
    Vaccine(
        "Meningococcal",
        False,
        (
            "meningococcal",
            "MenACWY",
            "MenB",
            "MenC",
            "Menveo",
            "MenQuadfi",
            "Nimenrix",
            "Bexsero",
            "Trumenba",
            "Penbraya",
            "Penmenvy",
        ),
    ),
    Vaccine("Polio, inactivated (IPV)", False, ("inactivated polio", "IPV", "IPOL")),
    Vaccine(
        "Typhoid, injectable (Vi)",
        False,
        ("typhoid vi", "Vi polysaccharide", "injectable typhoid", "Typhim", "Typherix", "Typbar"),
    ),
    Vaccine("Rabies", False, ("rabies", "Imovax", "RabAvert", "Rabipur", "Verorab")),
    Vaccine("Japanese encephalitis", False, ("japanese encephalitis", "Ixiaro")),
    Vaccine(
        "Mpox or smallpox, non-replicating (MVA-BN)",
        False,
        ("MVA-BN", "Jynneos", "Imvanex", "Imvamune", "non replicating smallpox"),
    ),
)

CATALOGUE: tuple[Vaccine, ...] = LIVE_VACCINES + NON_LIVE_VACCINES

_INDEX: tuple[tuple[tuple[str, ...], Vaccine], ...] = tuple(
    (words(alias), vaccine) for vaccine in CATALOGUE for alias in (vaccine.name, *vaccine.aliases)
)


def recognise(name: str) -> Vaccine | None:
    """The catalogue entry a typed vaccine name refers to, or None when it is not recognised.

    "IPV" inside "Tdap-IPV" is fine: both are non-live. If a live and a non-live entry both
    match, the live one wins, because assuming "not live" is the unsafe mistake.
    """
    text_words = words(name)
    matches = [vaccine for phrase, vaccine in _INDEX if contains_phrase(text_words, phrase)]
    if not matches:
        return None
    live = [vaccine for vaccine in matches if vaccine.live]
    return live[0] if live else matches[0]
