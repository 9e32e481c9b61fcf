"""Apply the rule set to one set of facts."""

from __future__ import annotations

from screening.engine.facts import Policy, ScreeningFacts, missing_fields
from screening.engine.result import Dosing, Outcome, Reason, ScreeningResult
from screening.engine.rules import RULE_SET_VERSION, RULES, SEVERE_CLEARANCE, Kind


def _dosing(facts: ScreeningFacts) -> Dosing:
    clearance = facts.creatinine_clearance_ml_min
    if clearance is not None and clearance < SEVERE_CLEARANCE:
        return Dosing.EVERY_OTHER_DAY
    return Dosing.DAILY


def evaluate(facts: ScreeningFacts, policy: Policy = Policy.STRICT) -> ScreeningResult:
    """Every rule that fires is reported; the outcome follows the precedence in docs/clinical-rules.md:
    contraindicated > incomplete > needs_review > clear."""
    policy = Policy(policy)
    fired = [rule for rule in RULES if rule.fires(facts)]
    contraindications = tuple(
        r.code for r in fired if r.kind_under(policy) == Kind.CONTRAINDICATION
    )
    review_items = tuple(r.code for r in fired if r.kind_under(policy) == Kind.REVIEW)
    missing = missing_fields(facts)

    if contraindications:
        outcome = Outcome.CONTRAINDICATED
    elif missing:
        outcome = Outcome.INCOMPLETE
    elif review_items:
        outcome = Outcome.NEEDS_REVIEW
    else:
        outcome = Outcome.CLEAR

    starts = [d for r in fired if r.earliest_start and (d := r.earliest_start(facts))]
    ordered = sorted(fired, key=lambda r: r.kind_under(policy) != Kind.CONTRAINDICATION)
    return ScreeningResult(
        outcome=outcome,
        contraindications=contraindications,
        review_items=review_items,
        missing=missing,
        dosing=_dosing(facts),
        earliest_start=max(starts) if starts else None,
        policy=policy.value,
        rule_set=RULE_SET_VERSION,
        reasons=tuple(Reason(r.code, r.message, r.source) for r in ordered),
    )
