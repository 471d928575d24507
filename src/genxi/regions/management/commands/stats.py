import json

from django.core.management.base import BaseCommand

from genxi.core.stats import headline_counts
from genxi.regions.models import Region


class Command(BaseCommand):
    help = "Print headline counts per street."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        counts = headline_counts(Region.objects.streets().order_by("code"))
        if options["json"]:
            self.stdout.write(json.dumps({"streets": counts}, ensure_ascii=False, indent=2))
            return
        for street, values in counts.items():
            line = ", ".join(f"{k}={v}" for k, v in values.items())
            self.stdout.write(f"{street}: {line}")
