import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from clinic_portal.core.clock import clinic_today
from followups.daily import run_daily


class Command(BaseCommand):
    help = "Run the daily follow-up job now, for catch-up after downtime."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the clinic day to run for, YYYY-MM-DD (default today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )

    def handle(self, *args, date: str | None, dry_run: bool, **options):
        try:
            day = dt.date.fromisoformat(date) if date else clinic_today()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.") from None
        summary = run_daily(day, dry_run=dry_run, manual=True).as_dict()
        self.stdout.write(json.dumps({**summary, "dry_run": dry_run}, indent=2))
