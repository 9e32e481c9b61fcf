"""bench/report.py: each bench script updates its own rows of issue 21's scoreboard and leaves
the rows other scripts measured as they were."""

import pytest

from bench import report


@pytest.fixture
def performance_md(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text("# Performance\n\nWritten by hand.\n")
    return path


def rows(path):
    return {
        line.split(" | ")[0].lstrip("| "): line
        for line in path.read_text().splitlines()
        if line.startswith("| ") and " | " in line
    }


def test_a_later_script_keeps_the_rows_an_earlier_one_measured(performance_md):
    report.record_targets([report.Verdict("seed_200k", "412 s", True)], performance_md)
    report.record_targets(
        [report.Verdict("outbox_morning", "10,000 in 355 s", False)], performance_md
    )

    table = rows(performance_md)
    assert "412 s | yes" in table["seeding 200,000 patients < 10 minutes"]
    assert "10,000 in 355 s | **no**" in table["10,000 reminders sent within 5 minutes"]
    assert "not measured yet" in table["the daily job at 200,000 patients < 30 s"]
    assert "Met: 1 of 14." in performance_md.read_text()
    assert performance_md.read_text().startswith("# Performance\n\nWritten by hand.\n")


def test_a_new_measurement_replaces_the_old_one(performance_md):
    report.record_targets([report.Verdict("seed_200k", "1,513 s", False)], performance_md)
    report.record_targets([report.Verdict("seed_200k", "412 s", True)], performance_md)

    text = performance_md.read_text()
    assert "1,513 s" not in text
    assert text.count("<!-- bench:targets:start -->") == 1


def test_a_target_the_issue_does_not_name_is_refused(performance_md):
    with pytest.raises(ValueError, match="not one of issue 21's targets"):
        report.record_targets([report.Verdict("seed_2m", "fast", True)], performance_md)
