"""Neutrophil counts over time as SVG geometry (pure): axes with ticks, dated points, and the
1.0 and 1.5 lines labelled inside the plot so that nothing is clipped.

The drawing is 420 units wide: scaled to a 375-pixel phone it keeps its 12-unit text at about
10 pixels; the page caps its width on large screens.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 420, 240
# The right margin holds the limits' labels, so no point or line can cover them.
LEFT, RIGHT, TOP, BOTTOM = 40, 88, 26, 40
INSET = 22  # the first and last points sit this far inside the plot, so their dates fit
MAX_DATE_TICKS = 4


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: str
    day: str
    interpretation: str  # "urgent", "attention" or "normal"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the x axis
    points: list[Point]
    polyline: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    threshold_lines: list[tuple[float, str, str]]  # y, label, severity


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def neutrophil_chart(
    samples: list[tuple[dt.date, Decimal, str]],
    *,
    urgent_below: Decimal,
    attention_below: Decimal,
) -> Chart | None:
    """``samples`` are (sample date, count, its interpretation), oldest first; the limits
    come from where the rule lives (``followups.models``), not from here."""
    if not samples:
        return None
    y_max = max(3, math.ceil(float(max(value for _, value, _ in samples)) * 1.1))
    first, last = samples[0][0], samples[-1][0]
    span = max((last - first).days, 1)
    plot_right, axis_y = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: dt.date) -> float:
        if first == last:
            return round((LEFT + plot_right) / 2, 1)
        return round(LEFT + INSET + (plot_right - LEFT - 2 * INSET) * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(axis_y - (axis_y - TOP) * value / y_max, 1)

    points = [
        Point(x(day), y(float(value)), f"{value:.1f}", _day(day), meaning)
        for day, value, meaning in samples
    ]
    step = 1 if y_max <= 6 else math.ceil(y_max / 6)
    y_ticks = [Tick(y(v), str(v)) for v in range(0, y_max + 1, step)]
    days = sorted({day for day, _, _ in samples})
    if len(days) > MAX_DATE_TICKS:
        picks = {round(i * (len(days) - 1) / (MAX_DATE_TICKS - 1)) for i in range(MAX_DATE_TICKS)}
        days = [days[i] for i in sorted(picks)]
    x_ticks = [Tick(x(day), f"{day.day} {day:%b}") for day in days]
    if first.year != last.year or len(x_ticks) == 1:
        x_ticks = [
            Tick(t.position, f"{t.label} {d:%y}") for t, d in zip(x_ticks, days, strict=True)
        ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=plot_right,
        top=TOP,
        bottom=axis_y,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        threshold_lines=[
            (y(float(attention_below)), f"{attention_below:.1f} attention", "attention"),
            (y(float(urgent_below)), f"{urgent_below:.1f} urgent", "urgent"),
        ],
    )
