"""`genxi migrate`: Django's migrate, as the owner role when DATABASE_MIGRATE_URL is set,
and then the app role (DATABASE_URL's user) gets exactly its rights again (core.db)."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from genxi.core.db import DatabaseRoleError, grant_app_role, use_owner_connection


class Command(migrate.Command):
    help = migrate.Command.help + " As the owner (DATABASE_MIGRATE_URL) if set; then grants."

    def handle(self, *args, **options):
        if options["database"] != DEFAULT_DB_ALIAS or not use_owner_connection():
            return super().handle(*args, **options)
        super().handle(*args, **options)
        if options["plan"] or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
            return
        app = settings.DATABASES[DEFAULT_DB_ALIAS]
        if not app["USER"]:
            raise CommandError("DATABASE_URL names no user: the app's role")
        try:
            grant_app_role(app["USER"], password=app.get("PASSWORD") or "")
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"The app role {app['USER']} has its rights (docs/deploy.md).")
