"""The `genxi` console command: Django's manage.py for the installed package."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genxi.config.settings.dev")
    # Imported once DJANGO_SETTINGS_MODULE is set (Django's own manage.py does the same).
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
