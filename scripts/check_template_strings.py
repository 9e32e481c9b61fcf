#!/usr/bin/env python
"""Report user-facing text in templates that is not wrapped for translation.

    scripts/check_template_strings.py [--pending FILE] [PATH ...]

PATHs are template files or folders (default: templates/). Each template is split with Django's
own template Lexer. Text counts when, outside {% translate %} and {% blocktranslate %}, it
holds a letter:
- the words between HTML tags (not inside <script>, <style> or <code>);
- the attributes people read or hear: title, alt, placeholder, aria-label, aria-description,
  and the value of a submit, button or reset input;
- string literals a template hands on as text, when they look like words (a space or a
  capital letter: "week", "info" or "today-heading" are names, "Due today" is text):
  |default:"…", |default_if_none:"…", and name="…" arguments of {% include %} and {% with %}.

A few strings are the same in every language (ALLOWED: the brand name, units). Everything else
is wrapped: {% translate "…" %}, {% blocktranslate trimmed %}…{% endblocktranslate %}, or _("…")
in a tag argument.

Files listed in the --pending file (one path a line, # comments) are still checked but only
warned about: they are the templates other work has not wrapped yet. A pending file that has
become clean fails the check, so that the list only ever shrinks.

Prints file:line: text for each finding and exits 1 when any non-pending file has one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Stands for a template tag or variable, or for wrapped text, in the HTML handed to the parser.
HOLE = "\ue000"

# Shown as they are in every language (alone, or next to a variable or a number).
ALLOWED = {
    "Kineret",
    "CDAI",
    "FHIR",
    "HL7",
    "°C",
    "×10⁹/L",
    "× 10⁹/L",
    "10⁹/L",
    "mg",
    # The language switcher's label names itself in each language it offers, on purpose.
    "Language / Langue / Idioma",
}

VISIBLE_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre"}

TRANSLATE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
DEFAULT_LITERAL = re.compile(r"""\|\s*default(?:_if_none)?\s*:\s*(?P<q>["'])(?P<text>.*?)(?P=q)""")
KEYWORD_LITERAL = re.compile(r"""\b[\w.]+=(?P<q>["'])(?P<text>.*?)(?P=q)""")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


_ALLOWED = re.compile(
    "|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in sorted(ALLOWED, key=len, reverse=True))
)


def is_text(value: str) -> bool:
    """True when value holds words people read, not only placeholders, symbols or a brand name."""
    return any(ch.isalpha() for ch in _ALLOWED.sub(" ", value.replace(HOLE, " ")))


def shown(value: str) -> str:
    text = " ".join(value.strip(HOLE + " \t\r\n").replace(HOLE, " … ").split())
    return text if len(text) <= 90 else text[:87] + "..."


def looks_like_words(literal: str) -> bool:
    return is_text(literal) and (
        any(ch.isspace() for ch in literal.strip()) or literal[:1].isupper()
    )


def _tag_name(contents: str) -> str:
    return contents.split(None, 1)[0] if contents.strip() else ""


def masked_html(source: str, path: str) -> tuple[str, list[Finding]]:
    """The template's HTML with every tag, variable, comment and wrapped text replaced by HOLE.

    Line breaks are kept, so positions in the masked HTML are positions in the template. String
    literals that are text are reported here, from the tag and variable tokens.
    """
    parts: list[str] = []
    findings: list[Finding] = []
    closing: str | None = None  # the end tag of the translate or comment block we are inside
    for token in Lexer(source).tokenize():
        contents = token.contents
        if token.token_type == TokenType.TEXT:
            if closing is None:
                parts.append(contents)
            else:
                parts.append(HOLE + "\n" * contents.count("\n"))
            continue
        parts.append(HOLE)
        if token.token_type == TokenType.BLOCK:
            name = _tag_name(contents)
            if closing is not None:
                if name == closing:
                    closing = None
                continue
            if name in TRANSLATE_BLOCKS:
                closing = TRANSLATE_BLOCKS[name]
            elif name == "comment":
                closing = "endcomment"
            elif name == "block" and contents.split()[-1].endswith("class"):
                # {% block body_class %}portal-large{% endblock %} holds CSS classes, not words.
                closing = "endblock"
            elif name in {"include", "with"}:
                for match in KEYWORD_LITERAL.finditer(contents):
                    if looks_like_words(match["text"]):
                        findings.append(Finding(path, token.lineno, shown(match["text"])))
        if token.token_type in (TokenType.BLOCK, TokenType.VAR) and closing is None:
            for match in DEFAULT_LITERAL.finditer(contents):
                if looks_like_words(match["text"]):
                    findings.append(Finding(path, token.lineno, shown(match["text"])))
    return "".join(parts), findings


class _TextFinder(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings: list[Finding] = []
        self.skipping: list[str] = []

    def _line_of(self, data: str) -> int:
        first_letter = next(i for i, ch in enumerate(data) if ch.isalpha())
        return self.getpos()[0] + data[:first_letter].count("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.replace(HOLE, "")
        values = {name.replace(HOLE, "").strip(): value or "" for name, value in attrs}
        for name, value in values.items():
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and values.get("type", "").lower() in BUTTON_INPUT_TYPES
            )
            if visible and is_text(value):
                self.findings.append(
                    Finding(self.path, self.getpos()[0], f'{name}="{shown(value)}"')
                )
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.replace(HOLE, "")
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and is_text(data):
            self.findings.append(Finding(self.path, self._line_of(data), shown(data)))


def check_source(source: str, path: str) -> list[Finding]:
    html, findings = masked_html(source, path)
    finder = _TextFinder(path)
    finder.feed(html)
    finder.close()
    return sorted(set(findings + finder.findings))


def template_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.suffix in {".html", ".txt"} and p.is_file()
            )
        else:
            yield path


def read_pending(path: Path | None) -> set[str]:
    if path is None or not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("templates")])
    parser.add_argument("--pending", type=Path, help="templates not wrapped yet: warn only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list pending findings too")
    args = parser.parse_args(argv)
    pending = read_pending(args.pending)

    failures = warnings = pending_files = 0
    for file in template_files(args.paths):
        name = file.as_posix()
        findings = check_source(file.read_text(encoding="utf-8"), name)
        if name in pending:
            pending.discard(name)
            if not findings:
                print(f"{name}: every string is wrapped now; remove it from {args.pending}.")
                failures += 1
            warnings += len(findings)
            pending_files += 1
            for finding in findings if args.verbose else ():
                print(f"pending: {finding}")
            continue
        failures += len(findings)
        for finding in findings:
            print(finding)
    for name in sorted(pending):
        print(f"{name} is listed in {args.pending} but is not a template any more; remove it.")
        failures += 1
    if failures:
        print(
            f"{failures} unwrapped string(s) in templates: wrap them in {{% translate %}} or "
            "{% blocktranslate trimmed %}, then run 'make messages' and translate them."
        )
    elif warnings:
        print(
            f"Templates: every string wrapped, apart from {warnings} in the {pending_files} "
            f"templates listed in {args.pending} (-v lists them)."
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
