"""The clinic's day is read in the doorways only; every service, selector and rule takes ``today``.

Views, tasks, management commands, template tags, context processors and the MLLP listener read
``clinic_today()`` once and pass it on (docs/architecture.md). This test reads the source of every
module of ours and finds each place that asks the clock for a date, so a service that starts
reading the clock again fails here. Timestamps (``timezone.now()`` for ``created_at``,
``signed_at``) are not the clinic's day and stay where the row is written.
"""

import ast
from pathlib import Path

from tests.foundation.test_import_graph import OUR_PACKAGES

ROOT = Path(__file__).resolve().parents[2]

# The doorways, by module name: the last part (or a package on the way) says what a module is.
DOORWAY_MODULES = {"views", "tasks", "mllp_listener", "context_processors"}
DOORWAY_PREFIXES = ("views_",)
DOORWAY_PACKAGES = {"commands", "templatetags"}
THE_CLOCK_ITSELF = "clinic_portal.core.clock"


def reads_the_clock(call: ast.Call) -> bool:
    """``clinic_today()``, ``timezone.localdate()`` with no moment, ``date.today()``."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "clinic_today":
        return True
    if name == "localdate" and not call.args and not call.keywords:
        return True
    return (
        name == "today"
        and isinstance(func, ast.Attribute)
        and ast.unparse(func.value)
        in {
            "date",
            "dt.date",
            "datetime.date",
        }
    )


def clock_reads(source: str) -> list[int]:
    """The lines of ``source`` that ask the clock for today's date."""
    tree = ast.parse(source)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and reads_the_clock(node)
    )


def is_doorway(module: str) -> bool:
    parts = module.split(".")
    last = parts[-1]
    return (
        module == THE_CLOCK_ITSELF
        or last in DOORWAY_MODULES
        or last.startswith(DOORWAY_PREFIXES)
        or bool(DOORWAY_PACKAGES.intersection(parts[:-1]))
    )


def our_modules() -> dict[str, Path]:
    modules = {}
    for package in OUR_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts).removesuffix(".__init__")] = path
    return modules


def clock_reads_outside_doorways(sources: dict[str, str]) -> dict[str, list[int]]:
    found = {
        module: clock_reads(source) for module, source in sources.items() if not is_doorway(module)
    }
    return {module: lines for module, lines in found.items() if lines}


def test_only_the_doorways_read_the_clinic_clock():
    sources = {module: path.read_text() for module, path in our_modules().items()}

    assert clock_reads_outside_doorways(sources) == {}


def test_a_service_that_reads_the_clock_is_found():
    sources = {module: path.read_text() for module, path in our_modules().items()}
    service = sources["followups.services"]

    sources["followups.services"] = service + (
        "\n\ndef sneaky(today=None):\n    return today or clinic_today()\n"
    )
    sources["patients.selectors"] += "\n\nTODAY = timezone.localdate()\n"
    sources["treatment.core"] = "import datetime as dt\n\nSTART = dt.date.today()\n"

    assert set(clock_reads_outside_doorways(sources)) == {
        "followups.services",
        "patients.selectors",
        "treatment.core",
    }


def test_a_moment_turned_into_a_date_is_not_a_clock_read():
    assert clock_reads("day = timezone.localdate(screening.signed_at)\n") == []
    assert clock_reads("today = clinic_today()\n") == [1]
