from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from care.demo import demo_logins

DEMO_CODE = "DJANGO_DEBUG=1 .venv/bin/python manage.py demo_code EMAIL"


def box(lines: list[str]) -> str:
    """Lines framed so they stand out from the processes' log lines above them."""
    width = max(len(line) for line in lines)
    rule = "─" * (width + 2)
    return "\n".join([f"┌{rule}┐", *(f"│ {line:<{width}} │" for line in lines), f"└{rule}┘"])


class Command(BaseCommand):
    help = "Print the demo logins in a box (debug only); make run prints it once the site answers."
    requires_system_checks = []

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_logins runs only with DJANGO_DEBUG on.")
        logins = demo_logins()
        if not logins:
            self.stdout.write("No demo accounts yet: manage.py seed_demo creates them.")
            return
        lines = [
            f"Clinic Portal is running at {settings.SITE_URL}/",
            "",
            f"Demo logins (synthetic people), password {logins[0].password}:",
            *(f"  {login.role:<16} {login.email}" for login in logins),
            "",
            "Staff then enter a one-time code; print the current one with",
            f"  {DEMO_CODE}",
            "Ctrl-C stops the web server, the Celery worker and beat.",
        ]
        self.stdout.write(box(lines))
