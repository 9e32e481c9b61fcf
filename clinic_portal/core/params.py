"""Reading query-string values that people (and bots) may mangle."""

from __future__ import annotations


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
