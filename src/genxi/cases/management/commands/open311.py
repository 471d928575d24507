import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from genxi.cases.models import Open311Client
from genxi.core import audit


class Command(BaseCommand):
    help = "Manage Open311 clients: `genxi open311 key create NAME` prints a new api_key."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["key"])
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("name")

    def handle(self, *args, **options):
        name = options["name"]
        if options["action"] == "revoke":
            with transaction.atomic():
                client = Open311Client.objects.select_for_update().filter(name=name).first()
                if client is None:
                    raise CommandError(f"no Open311 client named {name!r}")
                client.active = False
                client.save(update_fields=["active"])
                audit.record(actor=None, verb="open311.key_revoke", target=client)
            self.stdout.write(f"revoked {name}")
            return
        if Open311Client.objects.filter(name=name, active=True).exists():
            raise CommandError(f"an Open311 client named {name!r} exists; revoke it first")
        key = secrets.token_urlsafe(24)
        with transaction.atomic():
            client, _ = Open311Client.objects.update_or_create(
                name=name,
                defaults={
                    "digest": Open311Client.digest_of(key),
                    "prefix": key[:6],
                    "active": True,
                },
            )
            audit.record(actor=None, verb="open311.key_create", target=client)
        self.stdout.write(key)
