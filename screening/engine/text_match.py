"""Finding drug and vaccine names in free text typed by people.

Text is lower-cased and split into words on anything that is not a letter or digit, so
"Humira 40 mg every other week", "adalimumab-adaz" and "INFLIXIMAB (Remsima)" all yield the
words a catalogue name is looked for in. A name of several words matches when its words appear
consecutively.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def contains_phrase(text_words: tuple[str, ...], phrase_words: tuple[str, ...]) -> bool:
    size = len(phrase_words)
    if size == 0 or size > len(text_words):
        return False
    return any(text_words[i : i + size] == phrase_words for i in range(len(text_words) - size + 1))
