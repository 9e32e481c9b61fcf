"""The clinic's starting library: eight patient pages written for this portal, in plain words.

Each file in ``education/content/`` has a small header (title, slug, summary, tags, essential,
starter) between ``---`` lines, then the Markdown body. ``content/fr/`` and ``content/es/`` hold
the French and Spanish versions of the same pages (title, slug, summary, then the body), written
from the English text in our own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class StarterPage:
    title: str
    slug: str
    summary: str
    tags: str
    essential: bool
    starter: bool
    body: str


def _parse(text: str) -> StarterPage:
    _, header, body = text.split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in header.strip().splitlines())
    return StarterPage(
        title=fields["title"],
        slug=fields["slug"],
        summary=fields["summary"],
        tags=fields["tags"],
        essential=fields["essential"] == "yes",
        starter=fields["starter"] == "yes",
        body=body.strip() + "\n",
    )


def starter_pages() -> list[StarterPage]:
    return [_parse(path.read_text(encoding="utf-8")) for path in sorted(CONTENT_DIR.glob("*.md"))]


@dataclass(frozen=True)
class StarterTranslation:
    language: str
    slug: str
    title: str
    summary: str
    body: str


def starter_translations() -> list[StarterTranslation]:
    translations = []
    for folder in sorted(path for path in CONTENT_DIR.iterdir() if path.is_dir()):
        for path in sorted(folder.glob("*.md")):
            _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
            fields = dict(line.split(": ", 1) for line in header.strip().splitlines())
            translations.append(
                StarterTranslation(
                    language=folder.name,
                    slug=fields["slug"],
                    title=fields["title"],
                    summary=fields["summary"],
                    body=body.strip() + "\n",
                )
            )
    return translations
