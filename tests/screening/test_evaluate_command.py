import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screening.cases import CLEAR

ROOT = Path(__file__).resolve().parents[2]


def run(payload, *args, stdin=True, env_extra=None):
    import os

    env = {**os.environ, "DJANGO_DEBUG": "1", **(env_extra or {})}
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate_screening", *(args or ["-"])],
        input=text if stdin else None,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_object_gives_one_result_and_exit_0():
    result = run({**CLEAR, "asthma": True})
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["outcome"] == "needs_review"
    assert output["review_items"] == ["ASTHMA"]
    assert output["rule_set"] == "kineret-2026.1"


def test_a_list_gives_a_list_and_one_invalid_record_makes_exit_1():
    result = run(
        [CLEAR, {**CLEAR, "asthmaa": True}, {**CLEAR, "pregnant": True, "policy": "us_label"}]
    )
    assert result.returncode == 1
    first, second, third = json.loads(result.stdout)
    assert first["outcome"] == "clear"
    assert second == {"error": "asthmaa: is not a known field (check the spelling)."}
    assert (third["outcome"], third["policy"]) == ("needs_review", "us_label")


def test_the_clinic_policy_setting_is_the_default(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**CLEAR, "anc_10e9_per_l": 1.2}))
    result = run("", str(path), stdin=False, env_extra={"CLINIC_SCREENING_POLICY": "us_label"})
    assert json.loads(result.stdout)["policy"] == "us_label"
    assert json.loads(result.stdout)["review_items"] == ["NEUTROPENIA"]


@pytest.mark.parametrize("bad", ['{"policy": "lenient"}', "[1, 2]"])
def test_bad_policies_and_non_objects_are_errors(bad):
    result = run(bad)
    assert result.returncode == 1
    assert all(
        "error" in item
        for item in (
            json.loads(result.stdout) if bad.startswith("[") else [json.loads(result.stdout)]
        )
    )


def test_broken_json_is_a_clear_message():
    result = run("{not json")
    assert result.returncode == 1
    assert "is not valid JSON" in result.stderr


def test_a_missing_file_is_a_clear_message():
    result = run("", "/nonexistent/cases.json", stdin=False)
    assert result.returncode == 1
    assert "Cannot read" in result.stderr
