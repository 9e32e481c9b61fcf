"""The README's architecture table matches the folders: each path it names exists, and every
top-level folder and every Django app of ours has a row."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def table_paths(readme: str) -> set[str]:
    """The paths in the first column of the table under "## Architecture". A bare file name
    (``env.py``) sits in the folder of the cell's first path (``clinic_portal/settings.py``)."""
    section = readme.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]
    paths = set()
    for row in re.findall(r"^\| (.+?) \| .+ \|$", section, re.MULTILINE):
        names = re.findall(r"`([^`]+)`", row)
        folder = names[0].rsplit("/", 1)[0] + "/" if names and "/" in names[0] else ""
        paths.update(name if "/" in name else folder + name for name in names)
    return paths


def ignored_names() -> set[str]:
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return {line.strip("/") for line in lines if line and not any(c in line for c in "*!#")}


def top_level_folders() -> set[str]:
    return {
        f"{path.name}/"
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name not in ignored_names()
    }


def our_apps() -> set[str]:
    return {
        f"{path.parent.relative_to(ROOT)}/"
        for folder in top_level_folders()
        for path in (ROOT / folder).rglob("apps.py")
    }


def missing_rows(paths: set[str], wanted: set[str]) -> set[str]:
    """The folders in ``wanted`` that no path of the table names or lies in."""
    return {folder for folder in wanted if not any(p.startswith(folder) for p in paths)}


def test_every_path_in_the_table_exists():
    paths = table_paths((ROOT / "README.md").read_text())

    assert paths
    assert {path for path in paths if not (ROOT / path).exists()} == set()


def test_every_top_level_folder_and_app_has_a_row():
    paths = table_paths((ROOT / "README.md").read_text())

    assert missing_rows(paths, top_level_folders()) == set()
    assert missing_rows(paths, our_apps()) == set()
    assert {"followups/", "clinic_portal/audit/"} <= our_apps()


def test_a_row_for_a_folder_that_is_gone_or_missing_is_found():
    readme = (ROOT / "README.md").read_text()
    readme = readme.replace("| `bench/` |", "| `benchmarks/` |")

    paths = table_paths(readme)

    assert "benchmarks/" in {path for path in paths if not (ROOT / path).exists()}
    assert missing_rows(paths, top_level_folders()) == {"bench/"}
