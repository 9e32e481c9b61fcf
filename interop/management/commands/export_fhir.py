"""``manage.py export_fhir --since 2026-01-01 OUTDIR [--pseudonymise]``: FHIR R4 NDJSON files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic_portal.core.clock import clinic_today
from interop.fhir.export import export


def _day(text: str, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since must be a date like 2026-01-31, not {text!r}.") from None
    if day.year < 1900 or day > today:
        raise CommandError("--since must be a day between 1900 and today.")
    return day


class Command(BaseCommand):
    help = "Write FHIR R4 resources changed since a day as NDJSON, one file per resource type."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)
        parser.add_argument("--since", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--pseudonymise",
            action="store_true",
            help="replace ids by a keyed hash (FHIR_PSEUDONYM_KEY); drop names and contact details",
        )

    def handle(self, *args, outdir: Path, since: str, pseudonymise: bool, **options) -> None:
        today = clinic_today()
        day = _day(since, today)
        key = None
        if pseudonymise:
            key = settings.FHIR_PSEUDONYM_KEY
            if len(key) < 32:
                raise CommandError(
                    "Set FHIR_PSEUDONYM_KEY to a secret of at least 32 characters to pseudonymise; "
                    "keep it to link later exports, and never send it with the files."
                )
        if outdir.exists() and not outdir.is_dir():
            raise CommandError(f"{outdir} is not a directory.")
        counts = export(day, outdir, pseudonym_key=key, today=today)
        for name, count in counts.items():
            self.stdout.write(f"{outdir / (name + '.ndjson')}: {count}")
