import datetime as dt
from decimal import Decimal

from followups.chart import neutrophil_chart
from screening.engine.neutrophils import ANC_LOW_BELOW, ANC_URGENT_BELOW

DAY = dt.date(2026, 9, 1)


def chart(*values):
    samples = [
        (DAY + dt.timedelta(days=30 * n), Decimal(v), "urgent" if Decimal(v) < 1 else "normal")
        for n, v in enumerate(values)
    ]
    return neutrophil_chart(samples, urgent_below=ANC_URGENT_BELOW, attention_below=ANC_LOW_BELOW)


def test_no_counts_no_chart():
    assert chart() is None


def test_points_are_dated_and_inside_the_plot_with_the_limits_labelled():
    drawn = chart("2.4", "0.8", "1.9", "9.6")
    assert [p.day for p in drawn.points] == [
        "1 Sep 2026",
        "1 Oct 2026",
        "31 Oct 2026",
        "30 Nov 2026",
    ]
    assert [p.interpretation for p in drawn.points][1] == "urgent"
    for p in drawn.points:
        assert drawn.left <= p.x <= drawn.right and drawn.top <= p.y <= drawn.bottom
    (attention_y, attention, _), (urgent_y, urgent, _) = drawn.threshold_lines
    assert (attention, urgent) == ("1.5 attention", "1.0 urgent")
    # Both limit lines lie within the plot, the 1.5 line above the 1.0 line.
    assert drawn.top < attention_y < urgent_y < drawn.bottom
    assert drawn.y_ticks[0].label == "0" and int(drawn.y_ticks[-1].label) >= 10
    assert drawn.x_ticks[0].label == "1 Sep"


def test_many_counts_keep_at_most_four_date_labels():
    assert len(chart(*["2.0"] * 12).x_ticks) == 4


def test_one_count_is_drawn_mid_plot_with_its_year():
    drawn = chart("1.2")
    assert drawn.points[0].x == (drawn.left + drawn.right) / 2
    assert drawn.x_ticks[0].label == "1 Sep 26"
