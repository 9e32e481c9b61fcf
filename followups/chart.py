"""Neutrophil counts over time as SVG geometry (pure): points, and the 1.0 and 1.5 lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, PAD = 640, 220, 36


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[tuple[float, float, str, str]]  # x, y, value, date label
    polyline: str
    threshold_lines: list[tuple[float, str]]  # y, label
    y_max: float


def neutrophil_chart(samples: list[tuple[dt.date, Decimal]]) -> Chart | None:
    if not samples:
        return None
    y_max = max(3.0, float(max(value for _, value in samples)) * 1.15)
    first, last = samples[0][0], samples[-1][0]
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        if first == last:
            return WIDTH / 2
        return round(PAD + (WIDTH - 2 * PAD) * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / y_max, 1)

    points = [
        (x(day), y(float(value)), str(value), f"{day.day} {day:%b %Y}") for day, value in samples
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        polyline=" ".join(f"{px},{py}" for px, py, _, _ in points),
        threshold_lines=[(y(1.0), "1.0 urgent"), (y(1.5), "1.5 attention")],
        y_max=round(y_max, 1),
    )
