#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_portal.settings")
    from django.core.management import execute_from_command_line

    from clinic_portal.env import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as error:
        # A setting the environment got wrong: one line that names it, not a traceback.
        hint = (
            " (in development: DJANGO_DEBUG=1, as make run sets it)"
            if "DEBUG" in str(error)
            else ""
        )
        sys.exit(f"manage.py: {error}{hint}")


if __name__ == "__main__":
    main()
