import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from screening.replay import replay


class Command(BaseCommand):
    help = (
        "Evaluate screening cases (a JSON object or a list) with the current rule set and print "
        "the results as JSON. Exit status 1 if any record was invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON file, or - for standard input")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from None
        output, all_valid = replay(data, settings.CLINIC_SCREENING_POLICY)
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
        if not all_valid:
            sys.exit(1)
