"""CDAI over time as SVG geometry (pure): points, and the 2.8, 10 and 22 band limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treatment.core import CDAI_BAND_LABELS, TrendPoint

WIDTH, HEIGHT, PAD = 640, 220, 36
LIMITS = ((2.8, "2.8 remission"), (10.0, "10 low"), (22.0, "22 moderate"))


@dataclass(frozen=True)
class CdaiChart:
    width: int
    height: int
    points: list[tuple[float, float, str, dt.date, str]]  # x, y, score, day, band (English)
    polyline: str
    limit_lines: list[tuple[float, str]]


def cdai_chart(trend: list[TrendPoint]) -> CdaiChart | None:
    if not trend:
        return None
    y_max = max(30.0, float(max(p.score for p in trend)) * 1.1)
    first, last = trend[0].day, trend[-1].day
    span = max((last - first).days, 1)

    def x(i: int, p: TrendPoint) -> float:
        if first == last:
            return round(PAD + (WIDTH - 2 * PAD) * (i + 1) / (len(trend) + 1), 1)
        return round(PAD + (WIDTH - 2 * PAD) * (p.day - first).days / span, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / y_max, 1)

    points = [
        (
            x(i, p),
            y(float(p.score)),
            str(p.score),
            p.day,
            CDAI_BAND_LABELS[p.band],
        )
        for i, p in enumerate(trend)
    ]
    return CdaiChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        polyline=" ".join(f"{px},{py}" for px, py, *_ in points),
        limit_lines=[(y(value), label) for value, label in LIMITS],
    )
