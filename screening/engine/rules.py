"""The Kineret rule set: one row per code, as in the tables of docs/clinical-rules.md.

Each rule is data (code, kind, sources, the words a clinician reads) plus a small predicate over
the facts. A predicate whose inputs are missing does not fire; the missing field itself makes the
result incomplete. To change a rule: edit its row, and bump ``RULE_SET_VERSION`` so that results
made with the old rules keep saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from screening.engine import medications, vaccines
from screening.engine.dates import add_months, age_on
from screening.engine.facts import Hepatitis, HepatitisC, Policy, ScreeningFacts, TbTest
from screening.engine.neutrophils import is_low

RULE_SET_VERSION = "kineret-2026.1"

LIVE_VACCINE_GAP = dt.timedelta(days=28)
RECENT_TNF_WINDOW = dt.timedelta(days=90)
ADULT_AGE = 18
FEVER_C = 38.0
HIGH_PREDNISONE_MG = 20
SEVERE_CLEARANCE = 30
REDUCED_CLEARANCE = 50
ALT_LIMIT_X_ULN = 1.5

SOURCES = {
    "US-PI": "Kineret US Prescribing Information (Sobi)",
    "EU-SmPC": "Kineret EU Summary of Product Characteristics",
    "CLINIC": "The clinic's Kineret patient leaflet",
    "ACR-2015": "ACR 2015 rheumatoid arthritis guideline",
    "ACR-2021": "ACR 2021 rheumatoid arthritis guideline",
    "ACR-2022-VAX": "ACR 2022 vaccination guideline for rheumatic disease",
    "IDSA-2013": "IDSA 2013 vaccination guideline for immunocompromised hosts",
    "ACIP": "CDC Advisory Committee on Immunization Practices",
    "clinic policy": "The clinic's own policy",
}


class Kind(StrEnum):
    CONTRAINDICATION = "contraindication"
    REVIEW = "review"


Predicate = Callable[[ScreeningFacts], bool]
EarliestStart = Callable[[ScreeningFacts], dt.date | None]


@dataclass(frozen=True)
class Rule:
    code: str
    kind: Kind
    sources: tuple[str, ...]
    message: str
    fires: Predicate
    earliest_start: EarliestStart | None = None
    # Where a policy changes the kind (docs/clinical-rules.md, "Policies").
    kind_by_policy: dict[Policy, Kind] = field(default_factory=dict)

    def kind_under(self, policy: Policy) -> Kind:
        return self.kind_by_policy.get(policy, self.kind)

    @property
    def source(self) -> str:
        return ", ".join(self.sources)


# --- small predicates ------------------------------------------------------------------------


def _true(name: str) -> Predicate:
    return lambda f: getattr(f, name) is True


def _tb_positive(f: ScreeningFacts) -> bool:
    return f.tb_test == TbTest.POSITIVE


def _ltbi_untreated(f: ScreeningFacts) -> bool:
    if not _tb_positive(f):
        return False
    if f.ltbi_treatment_start is None:
        return True
    return f.planned_start is not None and f.ltbi_treatment_start > f.planned_start


def _ltbi_month_done(f: ScreeningFacts) -> dt.date | None:
    """When a month of latent-TB treatment completes, if treatment began by the start date."""
    if not _tb_positive(f) or f.ltbi_treatment_start is None or f.planned_start is None:
        return None
    if f.ltbi_treatment_start > f.planned_start:
        return None
    return add_months(f.ltbi_treatment_start, 1)


def _ltbi_under_a_month(f: ScreeningFacts) -> bool:
    done = _ltbi_month_done(f)
    return done is not None and f.planned_start < done


def _ltbi_on_treatment(f: ScreeningFacts) -> bool:
    done = _ltbi_month_done(f)
    return done is not None and f.planned_start >= done


def _under_18(f: ScreeningFacts) -> bool:
    if f.date_of_birth is None or f.planned_start is None:
        return False
    return age_on(f.date_of_birth, f.planned_start) < ADULT_AGE


def _neutropenia(f: ScreeningFacts) -> bool:
    return f.anc_10e9_per_l is not None and is_low(f.anc_10e9_per_l)


def _fever(f: ScreeningFacts) -> bool:
    return f.temperature_c is not None and f.temperature_c >= FEVER_C


def _hbv_untreated(f: ScreeningFacts) -> bool:
    return f.hbsag == Hepatitis.POSITIVE and not f.hbv_antiviral


def _hbv_monitor(f: ScreeningFacts) -> bool:
    treated_carrier = f.hbsag == Hepatitis.POSITIVE and f.hbv_antiviral
    past_infection = f.hbsag == Hepatitis.NEGATIVE and f.anti_hbc == Hepatitis.POSITIVE
    return treated_carrier or past_infection


def _hbv_not_screened(f: ScreeningFacts) -> bool:
    return Hepatitis.UNKNOWN in (f.hbsag, f.anti_hbc)


def _takes(drug_class: medications.DrugClass) -> Predicate:
    return lambda f: (
        f.medications is not None and drug_class in medications.classes_in(f.medications)
    )


def _recent_tnf_blocker(f: ScreeningFacts) -> bool:
    if f.tnf_blocker_last_dose is None or f.planned_start is None:
        return False
    if _takes(medications.DrugClass.TNF_BLOCKER)(f):
        return False
    # A last dose on or after the start date overlaps therapy, and is flagged too.
    return f.tnf_blocker_last_dose >= f.planned_start - RECENT_TNF_WINDOW


def _severe_renal(f: ScreeningFacts) -> bool:
    clearance = f.creatinine_clearance_ml_min
    return clearance is not None and clearance < SEVERE_CLEARANCE


def _renal(f: ScreeningFacts) -> bool:
    if _severe_renal(f):
        return False
    clearance = f.creatinine_clearance_ml_min
    reduced = clearance is not None and SEVERE_CLEARANCE <= clearance < REDUCED_CLEARANCE
    return f.kidney_disease is True or reduced


def _alt_elevated(f: ScreeningFacts) -> bool:
    return f.alt_x_uln is not None and f.alt_x_uln >= ALT_LIMIT_X_ULN


def _is_live(record: vaccines.Vaccine | None) -> bool:
    return record is not None and record.live


def _live_planned(f: ScreeningFacts) -> bool:
    if f.planned_start is None:
        return False
    cutoff = f.planned_start - LIVE_VACCINE_GAP
    return any(
        _is_live(vaccines.recognise(v.name)) and v.date >= cutoff for v in f.planned_vaccines
    )


def _recent_live_dates(f: ScreeningFacts) -> list[dt.date]:
    if f.planned_start is None:
        return []
    cutoff = f.planned_start - LIVE_VACCINE_GAP
    return [
        v.date
        for v in f.recent_vaccines
        if _is_live(vaccines.recognise(v.name)) and v.date > cutoff
    ]


def _live_recent(f: ScreeningFacts) -> bool:
    return bool(_recent_live_dates(f))


def _live_recent_earliest(f: ScreeningFacts) -> dt.date | None:
    dates = _recent_live_dates(f)
    return max(dates) + LIVE_VACCINE_GAP if dates else None


def _unrecognised_vaccine(f: ScreeningFacts) -> bool:
    return any(
        vaccines.recognise(v.name) is None for v in (*f.recent_vaccines, *f.planned_vaccines)
    )


C, R = Kind.CONTRAINDICATION, Kind.REVIEW
REVIEW_UNDER_US_LABEL = {Policy.US_LABEL: Kind.REVIEW}

# --- the rule set, in the order of docs/clinical-rules.md ---------------------------------------------------

RULES: tuple[Rule, ...] = (
    # Contraindications
    Rule(
        "ANAKINRA_ALLERGY",
        C,
        ("US-PI", "CLINIC"),
        "Previous serious allergic reaction to anakinra or an ingredient of Kineret.",
        _true("anakinra_allergy"),
    ),
    Rule(
        "ECOLI_PROTEIN_ALLERGY",
        C,
        ("US-PI",),
        "Known allergy to proteins made in E. coli, which Kineret is.",
        _true("ecoli_protein_allergy"),
    ),
    Rule(
        "ACTIVE_INFECTION",
        C,
        ("US-PI", "CLINIC"),
        "Active infection: Kineret must not be started until it has cleared.",
        _true("active_infection"),
    ),
    Rule(
        "ACTIVE_TB", C, ("US-PI", "CLINIC", "ACR-2015"), "Active tuberculosis.", _true("active_tb")
    ),
    Rule(
        "TB_NOT_SCREENED",
        C,
        ("US-PI", "ACR-2015"),
        "No tuberculosis test (TST or IGRA) has been done.",
        lambda f: f.tb_test == TbTest.NOT_DONE,
    ),
    Rule(
        "LTBI_UNTREATED",
        C,
        ("US-PI", "ACR-2015"),
        "Positive tuberculosis test with no latent-TB treatment started by the start date.",
        _ltbi_untreated,
    ),
    Rule(
        "LTBI_TREATMENT_UNDER_1_MONTH",
        C,
        ("ACR-2015",),
        "Latent-TB treatment began less than one month before the start date; "
        "start no earlier than one month into treatment.",
        _ltbi_under_a_month,
        earliest_start=_ltbi_month_done,
    ),
    Rule(
        "AGE_UNDER_18",
        C,
        ("US-PI",),
        "Under 18 on the planned start date; the rheumatoid arthritis indication is for adults.",
        _under_18,
    ),
    Rule(
        "PREGNANT",
        C,
        ("CLINIC", "EU-SmPC"),
        "Pregnant: Kineret is not recommended in pregnancy.",
        _true("pregnant"),
        kind_by_policy=REVIEW_UNDER_US_LABEL,
    ),
    Rule(
        "PLANNING_PREGNANCY",
        C,
        ("CLINIC", "EU-SmPC"),
        "Planning a pregnancy.",
        _true("planning_pregnancy"),
        kind_by_policy=REVIEW_UNDER_US_LABEL,
    ),
    Rule(
        "BREASTFEEDING",
        C,
        ("CLINIC", "EU-SmPC"),
        "Breastfeeding: do not breastfeed while taking Kineret.",
        _true("breastfeeding"),
        kind_by_policy=REVIEW_UNDER_US_LABEL,
    ),
    Rule(
        "NEUTROPENIA",
        C,
        ("EU-SmPC",),
        "Absolute neutrophil count below 1.5 × 10⁹/L.",
        _neutropenia,
        kind_by_policy=REVIEW_UNDER_US_LABEL,
    ),
    # Review items
    Rule("FEVER", R, ("CLINIC",), "Temperature of 38.0 °C or more.", _fever),
    Rule(
        "ANTIBIOTICS", R, ("CLINIC",), "Currently taking antibiotics.", _true("current_antibiotics")
    ),
    Rule(
        "CHRONIC_OR_RECURRENT_INFECTIONS",
        R,
        ("US-PI",),
        "Chronic or recurrent infections.",
        _true("chronic_or_recurrent_infections"),
    ),
    Rule(
        "SERIOUS_INFECTION_PAST_YEAR",
        R,
        ("ACR-2021",),
        "Serious infection in the past 12 months; other treatments may be preferred.",
        _true("serious_infection_past_12_months"),
    ),
    Rule(
        "LTBI_ON_TREATMENT",
        R,
        ("ACR-2015",),
        "Latent TB, with at least one month of treatment completed by the start date.",
        _ltbi_on_treatment,
    ),
    Rule(
        "TB_TEST_INDETERMINATE",
        R,
        ("ACR-2015",),
        "Tuberculosis test result was indeterminate.",
        lambda f: f.tb_test == TbTest.INDETERMINATE,
    ),
    Rule(
        "HBV_UNTREATED",
        R,
        ("ACR-2015",),
        "Hepatitis B surface antigen positive without antiviral treatment: refer first.",
        _hbv_untreated,
    ),
    Rule(
        "HBV_MONITOR",
        R,
        ("ACR-2015",),
        "Hepatitis B on antiviral treatment or past infection (anti-HBc positive): monitor.",
        _hbv_monitor,
    ),
    Rule(
        "HBV_NOT_SCREENED",
        R,
        ("ACR-2015",),
        "Hepatitis B screening (HBsAg and anti-HBc) is incomplete.",
        _hbv_not_screened,
    ),
    Rule(
        "HCV_UNTREATED",
        R,
        ("ACR-2015",),
        "Hepatitis C positive and not cured.",
        lambda f: f.hcv == HepatitisC.POSITIVE,
    ),
    Rule(
        "HCV_NOT_SCREENED",
        R,
        ("ACR-2015",),
        "Hepatitis C status is unknown.",
        lambda f: f.hcv == HepatitisC.UNKNOWN,
    ),
    Rule("HIV_POSITIVE", R, ("CLINIC",), "HIV positive.", lambda f: f.hiv == Hepatitis.POSITIVE),
    Rule(
        "TNF_BLOCKER",
        R,
        ("US-PI", "CLINIC"),
        "Takes a TNF blocker: combining it with Kineret is not recommended "
        "(serious infections 7 % vs 0 % with etanercept).",
        _takes(medications.DrugClass.TNF_BLOCKER),
    ),
    Rule(
        "RECENT_TNF_BLOCKER",
        R,
        ("US-PI", "clinic policy"),
        "Last TNF blocker dose within 90 days of the start date.",
        _recent_tnf_blocker,
    ),
    Rule(
        "OTHER_BIOLOGIC_OR_JAK",
        R,
        ("clinic policy",),
        "Takes another biologic DMARD, a JAK inhibitor or another IL-1 blocker.",
        _takes(medications.DrugClass.OTHER_BIOLOGIC_OR_JAK),
    ),
    Rule(
        "HIGH_DOSE_STEROID",
        R,
        ("ACR-2022-VAX",),
        "Prednisone (or equivalent) of 20 mg a day or more.",
        lambda f: f.prednisone_mg_per_day >= HIGH_PREDNISONE_MG,
    ),
    Rule("ASTHMA", R, ("US-PI", "CLINIC"), "Asthma.", _true("asthma")),
    Rule(
        "LATEX_ALLERGY",
        R,
        ("CLINIC",),
        "Latex allergy: the prefilled syringe's needle cover may contain latex.",
        _true("latex_allergy"),
    ),
    Rule(
        "SEVERE_RENAL_IMPAIRMENT",
        R,
        ("US-PI",),
        "Creatinine clearance below 30 mL/min: consider 100 mg every other day.",
        _severe_renal,
    ),
    Rule(
        "RENAL_IMPAIRMENT",
        R,
        ("CLINIC", "US-PI"),
        "Kidney disease, or creatinine clearance from 30 to under 50 mL/min.",
        _renal,
    ),
    Rule(
        "ALT_ELEVATED",
        R,
        ("EU-SmPC",),
        "ALT at 1.5 times the upper limit of normal or more: safety not evaluated.",
        _alt_elevated,
    ),
    Rule(
        "MALIGNANCY_HISTORY",
        R,
        ("US-PI",),
        "History of cancer.",
        lambda f: f.malignancy_history is True,
    ),
    Rule(
        "LIVE_VACCINE_PLANNED",
        R,
        ("US-PI", "IDSA-2013"),
        "A live vaccine is planned within 4 weeks before the start or during therapy.",
        _live_planned,
    ),
    Rule(
        "LIVE_VACCINE_RECENT",
        R,
        ("IDSA-2013",),
        "A live vaccine was given less than 4 weeks before the start date; "
        "start no earlier than 4 weeks after it.",
        _live_recent,
        earliest_start=_live_recent_earliest,
    ),
    Rule(
        "UNRECOGNISED_VACCINE",
        R,
        ("clinic policy",),
        "A vaccine name was not recognised; check whether it is live.",
        _unrecognised_vaccine,
    ),
    Rule(
        "SURGERY_PLANNED",
        R,
        ("CLINIC",),
        "Surgery or a procedure is planned.",
        lambda f: f.planned_surgery_date is not None,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}
