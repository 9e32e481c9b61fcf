"""The "I take Kineret" wallet card and one-page letter, as PDF (reportlab).

The words are ours, built from the CLINIC leaflet's advice (tell other doctors, dentists and
vaccinators; no live vaccines; contact the clinic before procedures and about antibiotics).
They are written in the language active when the PDF is made: the patient's own, or the staff
member's who prints it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from followups.rules import CourseState

INTERVAL_WORDS = {
    "daily": gettext_lazy("100 mg, one injection under the skin once a day"),
    "every_other_day": gettext_lazy("100 mg, one injection under the skin every other day"),
}


@dataclass(frozen=True)
class CardFacts:
    name: str
    date_of_birth: dt.date
    dose_text: str
    start_date: dt.date
    prescriber: str
    clinic_name: str
    clinic_phone: str
    issued_on: dt.date
    # Why the card is not valid now, in plain words ("" while the course is planned or active).
    not_valid: str = ""


NOT_VALID = {
    CourseState.ON_HOLD: gettext_lazy(
        "The start of this course is on hold, so this card is not valid yet."
    ),
    CourseState.STOPPED: gettext_lazy("This course has stopped, so this card is no longer valid."),
    CourseState.CANCELLED: gettext_lazy("This course was cancelled, so this card is not valid."),
}


def facts_for(*, patient, therapy, clinic_name: str, clinic_phone: str, today: dt.date):
    """The card's facts; its validity follows the course's state (followups.rules)."""
    state = therapy.state_on(today)
    return CardFacts(
        name=patient.full_name,
        date_of_birth=patient.date_of_birth,
        dose_text=str(INTERVAL_WORDS.get(therapy.interval, f"{therapy.dose_mg} mg")),
        start_date=therapy.start_date,
        prescriber=therapy.started_by.full_name,
        clinic_name=clinic_name,
        clinic_phone=clinic_phone,
        issued_on=today,
        not_valid=str(NOT_VALID.get(state, "")),
    )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ADVICE = [
    (
        gettext_lazy("Dentist or surgeon"),
        gettext_lazy(
            "Kineret lowers the body's defence against infection. Before any planned operation, "
            "dental work or procedure, contact the clinic first so we can plan it with you."
        ),
    ),
    (
        gettext_lazy("Vaccinations"),
        gettext_lazy(
            "No live vaccines while taking Kineret. Other vaccines are usually fine, but the "
            "clinic confirms each one first."
        ),
    ),
    (
        gettext_lazy("Antibiotics"),
        gettext_lazy(
            "If another doctor prescribes antibiotics or finds an infection, tell the clinic."
        ),
    ),
]


def _day(day: dt.date) -> str:
    """ "7 December 2026", "7 décembre 2026", "7 de diciembre de 2026"."""
    return date_format(day, "SHORT_DATE_FORMAT")


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Heading2"], spaceAfter=2 * mm),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=9, leading=11),
        "big": ParagraphStyle("big", parent=base["BodyText"], fontSize=11, leading=14),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=7.5, leading=9),
        "h": ParagraphStyle("h", parent=base["Heading4"], spaceBefore=2 * mm, spaceAfter=1 * mm),
    }


def _validity(facts: CardFacts) -> str:
    state = f" {facts.not_valid}" if facts.not_valid else ""
    issued = _("Issued %(day)s. Valid while the Kineret course is active.") % {
        "day": _day(facts.issued_on)
    }
    return f"{issued}{state}"


def wallet_card(facts: CardFacts) -> bytes:
    """A card of about 85 by 55 mm, front and back side by side, to cut out and fold."""
    s = _styles()
    front = [
        Paragraph("<b>" + _esc(_("I take Kineret (anakinra)")) + "</b>", s["big"]),
        Paragraph(f"<b>{_esc(facts.name)}</b>", s["body"]),
        Paragraph(_esc(_("Born %(day)s") % {"day": _day(facts.date_of_birth)}), s["body"]),
        Paragraph(
            _esc(
                _("%(dose)s, since %(day)s")
                % {"dose": facts.dose_text, "day": _day(facts.start_date)}
            ),
            s["body"],
        ),
        Paragraph(f"{_esc(facts.clinic_name)}: <b>{_esc(facts.clinic_phone)}</b>", s["body"]),
    ]
    back = [
        Paragraph(f"<b>{_esc(str(title))}.</b> {_esc(str(text))}", s["small"])
        for title, text in ADVICE
    ] + [Paragraph(_esc(_validity(facts)), s["small"])]
    card = Table(
        [[front, back]],
        colWidths=[85 * mm, 85 * mm],
        rowHeights=[55 * mm],
        style=TableStyle(
            [
                ("BOX", (0, 0), (0, 0), 0.8, colors.black),
                ("BOX", (1, 0), (1, 0), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        ),
    )
    story = [
        Paragraph(_esc(_("Your Kineret wallet card")), s["title"]),
        Paragraph(
            _esc(_("Cut along the lines, fold in the middle and keep it with your bank cards.")),
            s["body"],
        ),
        Spacer(1, 6 * mm),
        KeepTogether(card),
    ]
    return _build(story, title=_("I take Kineret: wallet card"))


def letter(facts: CardFacts) -> bytes:
    """A one-page letter for another doctor, dentist, surgeon or vaccinator."""
    s = _styles()
    story = [
        Paragraph(_esc(facts.clinic_name), s["title"]),
        Paragraph(_esc(_("Telephone %(phone)s") % {"phone": facts.clinic_phone}), s["big"]),
        Spacer(1, 4 * mm),
        Paragraph(_day(facts.issued_on), s["big"]),
        Spacer(1, 4 * mm),
        Paragraph(_esc(_("To any doctor, dentist, surgeon, nurse or vaccinator")), s["big"]),
        Spacer(1, 3 * mm),
        Paragraph(
            _(
                "<b>%(name)s</b>, born %(born)s, is treated at our clinic for rheumatoid arthritis "
                "with <b>Kineret (anakinra)</b>, %(dose)s, since %(since)s. The prescribing "
                "rheumatologist is %(prescriber)s."
            )
            % {
                "name": _esc(facts.name),
                "born": _day(facts.date_of_birth),
                "dose": _esc(facts.dose_text),
                "since": _day(facts.start_date),
                "prescriber": _esc(facts.prescriber),
            },
            s["big"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            _esc(
                _(
                    "Kineret blocks interleukin-1 and can make infections more likely or harder "
                    "to notice. Please keep the following in mind:"
                )
            ),
            s["big"],
        ),
    ]
    for title, text in ADVICE:
        story += [Paragraph(_esc(str(title)), s["h"]), Paragraph(_esc(str(text)), s["big"])]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            _esc(
                _("For anything about this treatment, please call us on %(phone)s.")
                % {"phone": facts.clinic_phone}
            ),
            s["big"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(_esc(_validity(facts)), s["body"]),
    ]
    return _build(story, title=_("I take Kineret: letter"))


def _build(story, *, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=_("Clinic Portal"),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        invariant=True,
    )
    doc.build(story)
    return buffer.getvalue()
