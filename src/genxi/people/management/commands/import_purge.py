from django.core.management.base import BaseCommand

from genxi.people.services import IMPORT_FILE_TTL, import_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete stored import uploads that waited longer than "
        f"{IMPORT_FILE_TTL.total_seconds() / 3600:.0f} hours (run it daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        count = import_uploads_purge()
        self.stdout.write(f"{count} import upload(s) deleted.")
