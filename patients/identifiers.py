"""Medical record numbers: how they are written and when they are valid (pure functions).

An MRN is 4 to 20 letters and digits. People type them with spaces, hyphens, slashes and in
lower case; the portal stores one canonical form (upper case, separators removed) so that
"ab-1234" and "AB 1234" are recognised as the same record.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-/.]+")
_VALID = re.compile(r"[A-Z0-9]{4,20}")


class InvalidMRN(ValueError):
    pass


def normalise_mrn(raw: str) -> str:
    candidate = _SEPARATORS.sub("", raw or "").upper()
    if not _VALID.fullmatch(candidate):
        raise InvalidMRN(
            "A medical record number has 4 to 20 letters and digits "
            "(spaces and hyphens are ignored)."
        )
    return candidate


def mrn_search_key(raw: str) -> str | None:
    """The canonical form of a partial MRN typed into a search box, or None if it cannot be one."""
    candidate = _SEPARATORS.sub("", raw or "").upper()
    return candidate if re.fullmatch(r"[A-Z0-9]{2,20}", candidate) else None
