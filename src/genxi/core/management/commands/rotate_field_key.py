from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from genxi.core.services import pii_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal-data field with the first key of GENXI_FIELD_KEY. Put the "
        "new key first, keep the old one after it, run this, then drop the old key. The blind "
        "indexes stay: their key is GENXI_INDEX_KEY, which must be set."
    )

    def handle(self, *args, **options):
        try:
            counts = pii_rotate()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n} rows re-encrypted")
