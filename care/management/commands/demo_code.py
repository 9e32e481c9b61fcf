from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from care.demo import demo_code


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo staff account (debug only)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code runs only with DJANGO_DEBUG on.")
        try:
            self.stdout.write(demo_code(email))
        except Exception:
            raise CommandError(
                f"{email} is not a demo staff account with the demo authenticator."
            ) from None
