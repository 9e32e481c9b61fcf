from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from care.demo import seed_demo
from clinic_portal.core.clock import clinic_today


class Command(BaseCommand):
    help = "Create synthetic demo accounts and records (idempotent). Refuses to run without debug."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DJANGO_DEBUG is off (a demo or staging server, never live).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo runs only with DJANGO_DEBUG on, or with --force.")
        logins = seed_demo(today=clinic_today())
        self.stdout.write("Demo logins (synthetic people only):")
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<34} {login.password}")
        self.stdout.write(
            "Staff also enter a code after the password: "
            "`DJANGO_DEBUG=1 .venv/bin/python manage.py demo_code EMAIL` prints the current one."
        )
