"""The medication catalogue: which medicines count as TNF blockers, and which as other biologic
DMARDs, JAK inhibitors or IL-1 blockers (docs/clinical-rules.md, "Catalogues"); and how a
screening's medicine list differs from the record's.

Each entry lists the generic name, US and EU brand names and biosimilars. Biosimilars with a
four-letter suffix (``adalimumab-adaz``) are recognised through their generic name, because the
suffix is split off as a separate word.
"""

from __future__ import annotations

from collections.abc import Sequence
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


# --- the screening's medicine list against the record's ----------------------------------------

# The record's Kineret line belongs to the course (written when it starts), not to a screening.
KINERET_NAMES = (("anakinra",), ("kineret",))


def _is_kineret(line: str) -> bool:
    line_words = words(line)
    return any(contains_phrase(line_words, name) for name in KINERET_NAMES)


def _key(line: str) -> tuple[str, ...]:
    return words(line)


@dataclass(frozen=True)
class MedicineDifference:
    """How a signed screening's medicine list differs from the record's: ``stopped`` are on
    the record and not in the screening, ``added`` the other way round. Empty when they agree."""

    stopped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stopped or self.added)


def medicine_difference(screening: Sequence[str], record: Sequence[str]) -> MedicineDifference:
    """Lines are compared without regard to case, spacing or punctuation; Kineret lines are
    left out on both sides, since the course keeps the record's."""
    in_screening = {_key(line) for line in screening if not _is_kineret(line)}
    on_record = {_key(line) for line in record if not _is_kineret(line)}
    return MedicineDifference(
        stopped=tuple(
            line for line in record if not _is_kineret(line) and _key(line) not in in_screening
        ),
        added=tuple(
            line for line in screening if not _is_kineret(line) and _key(line) not in on_record
        ),
    )


def medicines_matching(screening: Sequence[str], record: Sequence[str]) -> list[str]:
    """The record's list updated to the screening's: its medicines, then the record's Kineret
    line if there is one."""
    return [line for line in screening if not _is_kineret(line)] + [
        line for line in record if _is_kineret(line)
    ]
