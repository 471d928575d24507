from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from genxi.core.db import use_owner_connection
from genxi.core.models import AuditImmutableError
from genxi.core.services import audit_purge


class Command(BaseCommand):
    help = (
        "Delete audit events older than --days (at least 184, the legal minimum), as the "
        "owner role (DATABASE_MIGRATE_URL): the app role may not delete them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.GENXI_AUDIT_MIN_RETENTION_DAYS)

    def handle(self, *args, **options):
        use_owner_connection()
        try:
            deleted = audit_purge(days=options["days"])
        except AuditImmutableError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"deleted {deleted} audit events older than {options['days']} days")
