from typing import Any

from django.core.management.base import BaseCommand

from genxi.cases import rollups


class Command(BaseCommand):
    help = "Daily roll-ups of cases for the dashboards: `rollups rebuild` recomputes them."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        written = rollups.rebuild()
        self.stdout.write(f"rollups: {written} rows")
