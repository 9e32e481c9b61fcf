"""The draft against the published text, side by side, for people: changed lines paired, the
changed words inside them marked, and a line of context around each change (pure)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Row:
    kind: str  # "same", "changed", "added", "removed" or "gap"
    old: SafeString
    new: SafeString


def _words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The two lines with the words that differ wrapped in <del> and <ins>."""
    a, b = old.split(" "), new.split(" ")
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = escape(" ".join(a[i1:i2])), escape(" ".join(b[j1:j2]))
        if tag == "equal":
            old_out.append(left)
            new_out.append(right)
            continue
        if left:
            old_out.append(f"<del>{left}</del>")
        if right:
            new_out.append(f"<ins>{right}</ins>")
    return mark_safe(" ".join(old_out)), mark_safe(" ".join(new_out))


def side_by_side(old: str, new: str, context: int = 1) -> list[Row]:
    """Rows for a two-column table; empty when the texts are the same."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    rows: list[Row] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(Row("gap", mark_safe("…"), mark_safe("…")))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Row("same", escape(line), escape(line)) for line in a[i1:i2]]
                continue
            old_lines, new_lines = a[i1:i2], b[j1:j2]
            for n in range(max(len(old_lines), len(new_lines))):
                left = old_lines[n] if n < len(old_lines) else None
                right = new_lines[n] if n < len(new_lines) else None
                if left is not None and right is not None:
                    rows.append(Row("changed", *_words(left, right)))
                elif left is not None:
                    rows.append(Row("removed", mark_safe(f"<del>{escape(left)}</del>"), ""))
                else:
                    rows.append(Row("added", "", mark_safe(f"<ins>{escape(right)}</ins>")))
    return rows
