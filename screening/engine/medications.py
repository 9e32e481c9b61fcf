"""The medication catalogue: which medicines count as TNF blockers, and which as other biologic
DMARDs, JAK inhibitors or IL-1 blockers (docs/clinical-rules.md, "Catalogues").

Each entry lists the generic name, US and EU brand names and biosimilars. Biosimilars with a
four-letter suffix (``adalimumab-adaz``) are recognised through their generic name, because the
suffix is split off as a separate word.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from screening.engine.text_match import contains_phrase, words


class DrugClass(StrEnum):
    TNF_BLOCKER = "tnf_blocker"
    OTHER_BIOLOGIC_OR_JAK = "other_biologic_or_jak"


@dataclass(frozen=True)
class Drug:
    generic: str
    drug_class: DrugClass
    brands: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.generic, *self.brands)


TNF = DrugClass.TNF_BLOCKER
OTHER = DrugClass.OTHER_BIOLOGIC_OR_JAK

MEDICATIONS: tuple[Drug, ...] = (
    Drug(
        "adalimumab",
        TNF,
        (
            "Humira",
            "Amjevita",
            "Amgevita",
            "Cyltezo",
            "Hyrimoz",
            "Hadlima",
            "Abrilada",
            "Hulio",
            "Yusimry",
            "Idacio",
            "Yuflyma",
            "Simlandi",
            "Imraldi",
            "Hefiya",
            "Hukyndra",
            "Libmyris",
            "Amsparity",
        ),
        ("US-PI", "CLINIC"),
    ),
    Drug(
        "etanercept",
        TNF,
        ("Enbrel", "Erelzi", "Eticovo", "Benepali", "Nepexto"),
        ("US-PI", "CLINIC"),
    ),
    Drug(
        "infliximab",
        TNF,
        (
            "Remicade",
            "Inflectra",
            "Renflexis",
            "Avsola",
            "Ixifi",
            "Zymfentra",
            "Remsima",
            "Flixabi",
            "Zessly",
        ),
        ("US-PI", "CLINIC"),
    ),
    Drug("certolizumab pegol", TNF, ("certolizumab", "Cimzia"), ("US-PI",)),
    Drug("golimumab", TNF, ("Simponi", "Simponi Aria"), ("US-PI",)),
    Drug("abatacept", OTHER, ("Orencia",), ("clinic policy",)),
    Drug(
        "rituximab",
        OTHER,
        ("Rituxan", "MabThera", "Truxima", "Ruxience", "Riabni", "Rixathon", "Blitzima"),
        ("clinic policy",),
    ),
    Drug(
        "tocilizumab",
        OTHER,
        ("Actemra", "RoActemra", "Tofidence", "Tyenne"),
        ("clinic policy",),
    ),
    Drug("sarilumab", OTHER, ("Kevzara",), ("clinic policy",)),
    Drug("tofacitinib", OTHER, ("Xeljanz",), ("clinic policy",)),
    Drug("baricitinib", OTHER, ("Olumiant",), ("clinic policy",)),
    Drug("upadacitinib", OTHER, ("Rinvoq",), ("clinic policy",)),
    Drug("filgotinib", OTHER, ("Jyseleca",), ("clinic policy",)),
    Drug("canakinumab", OTHER, ("Ilaris",), ("clinic policy",)),
    Drug("rilonacept", OTHER, ("Arcalyst",), ("clinic policy",)),
)

_INDEX: tuple[tuple[tuple[str, ...], Drug], ...] = tuple(
    (words(name), drug) for drug in MEDICATIONS for name in drug.names
)


def recognise(medication_line: str) -> tuple[Drug, ...]:
    """The catalogue drugs named in one line of free text (often none)."""
    text_words = words(medication_line)
    found: dict[str, Drug] = {}
    for phrase, drug in _INDEX:
        if contains_phrase(text_words, phrase):
            found[drug.generic] = drug
    return tuple(found.values())


def classes_in(medications: tuple[str, ...]) -> frozenset[DrugClass]:
    return frozenset(drug.drug_class for line in medications for drug in recognise(line))
