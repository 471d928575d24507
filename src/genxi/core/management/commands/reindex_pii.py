from django.core.management.base import BaseCommand

from genxi.core.services import pii_reindex


class Command(BaseCommand):
    help = (
        "Recompute every blind index (e.g. residents' ID-number digests) with the current "
        "GENXI_INDEX_KEY, after changing it. Run it with the application stopped."
    )

    def handle(self, *args, **options):
        for label, n in pii_reindex().items():
            self.stdout.write(f"{label}: {n} rows re-indexed")
