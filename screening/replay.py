"""Replaying screening cases through the current rule set (the clinic's QA before adopting a new
rule-set version). Pure: JSON-shaped data in, JSON-shaped data out."""

from __future__ import annotations

from typing import Any

from screening.engine import InvalidFacts, Policy, evaluate, facts_from_dict


def replay_record(record: Any, default_policy: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        return {"error": "record: must be a JSON object."}
    facts_part = dict(record)
    policy = facts_part.pop("policy", default_policy)
    if policy not in {p.value for p in Policy}:
        return {"error": "policy: must be one of strict, us_label."}
    try:
        facts = facts_from_dict(facts_part)
    except InvalidFacts as error:
        return {"error": str(error)}
    return evaluate(facts, Policy(policy)).as_dict()


def replay(data: Any, default_policy: str) -> tuple[Any, bool]:
    """Results in the input's shape (one object, or a list), and whether every record was valid."""
    if isinstance(data, list):
        results = [replay_record(record, default_policy) for record in data]
        return results, not any("error" in result for result in results)
    result = replay_record(data, default_policy)
    return result, "error" not in result
