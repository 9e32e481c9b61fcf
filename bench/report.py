"""What the bench scripts share: writing their sections of docs/performance.md, and issue 21's
scoreboard, one table with every target's latest measurement, met or missed.

Each script owns the section between its own markers (`<!-- bench:NAME:start -->` and
`<!-- bench:NAME:end -->`) and hands its verdicts to `record_targets`. The scoreboard keeps each
target's latest verdict in a JSON comment inside its own section, so a script that measures some
targets updates those rows and leaves the others as they were, each with its date, until the next
run measures them again.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "performance.md"
SCOREBOARD = "targets"


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    measured_by: str


# Issue 21's targets, in the order the issue lists them.
TARGETS = [
    Target(
        "record_share",
        "patient record >= 40 % of the logged-in floor's req/s (20,000 patients)",
        "bench/run.py",
    ),
    Target(
        "worklist_share", "worklist (overdue) >= 40 % of the floor's req/s (20,000)", "bench/run.py"
    ),
    Target("list_share", "patient list >= 40 % of the floor's req/s (20,000)", "bench/run.py"),
    Target("floor_share", "the floor >= 35 % of `/healthz`'s req/s (20,000)", "bench/run.py"),
    Target("search_ratio", "search p50 at 20,000 <= 1.3x its p50 at 200", "bench/run.py"),
    Target(
        "pages_200k",
        "every page's p50 at 200,000 <= 1.5x its p50 at 20,000",
        "bench/run.py --scale",
    ),
    Target("daily_job_200k", "the daily job at 200,000 patients < 30 s", "bench/run.py --scale"),
    Target("seed_200k", "seeding 200,000 patients < 10 minutes", "bench/run.py --scale"),
    Target(
        "audit_who_saw",
        '"who saw my record" < 50 ms p50 at 50 million audit rows',
        "bench/audit_scale.py",
    ),
    Target(
        "audit_export",
        "the export of one patient's month < 50 ms p50 at 50 million rows",
        "bench/audit_scale.py",
    ),
    Target(
        "audit_timeline",
        "the patient timeline < 50 ms p50 at 50 million rows",
        "bench/audit_scale.py",
    ),
    Target(
        "outbox_two_workers",
        "two outbox workers send nearly twice what one does (>= 1.8x)",
        "bench/outbox_rate.py",
    ),
    Target("outbox_morning", "10,000 reminders sent within 5 minutes", "bench/outbox_rate.py"),
    Target(
        "cluster",
        "sessions, lockout and rate limits hold across two web processes behind haproxy",
        "bench/cluster.py",
    ),
]
_KNOWN = {target.key: target for target in TARGETS}


@dataclass(frozen=True)
class Verdict:
    key: str
    measured: str
    met: bool


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def write_section(name: str, text: str, path: Path = PERFORMANCE) -> None:
    """Replace the section between this name's markers, or append it at the end of the file."""
    start, end = _markers(name)
    old = path.read_text() if path.exists() else ""
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in old and end in old:
        before, rest = old.split(start, 1)
        path.write_text(before + block + rest.split(end, 1)[1])
    else:
        path.write_text(old.rstrip("\n") + "\n\n" + block + "\n")


def read_section(name: str, path: Path = PERFORMANCE) -> str:
    start, end = _markers(name)
    text = path.read_text() if path.exists() else ""
    if start not in text or end not in text:
        return ""
    return text.split(start, 1)[1].split(end, 1)[0]


def load_average() -> float:
    return os.getloadavg()[0]


def record_targets(verdicts: list[Verdict], path: Path = PERFORMANCE) -> None:
    """Store these verdicts, dated and with the load average, and rewrite the scoreboard."""
    unknown = [v.key for v in verdicts if v.key not in _KNOWN]
    if unknown:
        raise ValueError(f"not one of issue 21's targets: {unknown}")
    stored = _stored(path)
    when = time.strftime("%Y-%m-%d %H:%M")
    load = f"{load_average():.1f}"
    for verdict in verdicts:
        stored[verdict.key] = asdict(verdict) | {"when": when, "load": load}
    write_section(SCOREBOARD, _scoreboard(stored), path)


def _stored(path: Path) -> dict[str, dict]:
    found = re.search(r"<!-- verdicts: (.*?) -->", read_section(SCOREBOARD, path), re.S)
    return json.loads(found.group(1)) if found else {}


def _scoreboard(stored: dict[str, dict]) -> str:
    lines = [
        "## Issue 21's targets: the latest measurement of each",
        "",
        "Written by the bench scripts (`make bench` runs them all); each row is the latest run "
        "that measured it, with the machine's 1-minute load average at its end.",
        "",
        "| target | measured | met? | when (load) | by |",
        "|---|---|---|---|---|",
    ]
    for target in TARGETS:
        got = stored.get(target.key)
        if got is None:
            lines.append(f"| {target.text} | not measured yet | | | `{target.measured_by}` |")
            continue
        met = "yes" if got["met"] else "**no**"
        lines.append(
            f"| {target.text} | {got['measured']} | {met} | {got['when']} ({got['load']}) | "
            f"`{target.measured_by}` |"
        )
    met = sum(1 for t in TARGETS if stored.get(t.key, {}).get("met"))
    lines += [
        "",
        f"Met: {met} of {len(TARGETS)}.",
        "",
        f"<!-- verdicts: {json.dumps(stored, sort_keys=True)} -->",
    ]
    return "\n".join(lines)
