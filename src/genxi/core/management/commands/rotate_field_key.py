from django.core.management.base import BaseCommand

from genxi.core.services import pii_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal-data field with the first key of GENXI_FIELD_KEY and "
        "recompute the blind indexes. Put the new key first, keep the old one after it, run "
        "this, then drop the old key."
    )

    def handle(self, *args, **options):
        for label, n in pii_rotate().items():
            self.stdout.write(f"{label}: {n} rows re-encrypted")
