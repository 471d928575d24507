from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from genxi.core.db import DatabaseRoleError, grant_app_role, use_owner_connection


class Command(BaseCommand):
    help = (
        "Create the app's database role if missing and grant it exactly its rights "
        "(PostgreSQL; run as the owner: DATABASE_MIGRATE_URL). `genxi migrate` does it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", help="default: the user of DATABASE_URL")
        parser.add_argument("--password", default="", help="only used when creating the role")

    def handle(self, *args, **options):
        app = settings.DATABASES[DEFAULT_DB_ALIAS]
        role = options["app_role"] or app["USER"]
        password = options["password"] or (app.get("PASSWORD") or "" if role == app["USER"] else "")
        use_owner_connection()
        try:
            grant_app_role(role, password=password)
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{role}: SELECT and INSERT on the audit log, DML elsewhere, no DDL")
