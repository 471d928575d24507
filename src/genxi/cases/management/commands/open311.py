import hashlib
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
            updated = Open311Client.objects.filter(name=name).update(active=False)
            if not updated:
                raise CommandError(f"no Open311 client named {name!r}")
            self.stdout.write(f"revoked {name}")
            return
        if Open311Client.objects.filter(name=name, active=True).exists():
            raise CommandError(f"an Open311 client named {name!r} exists; revoke it first")
        key = secrets.token_urlsafe(24)
        with transaction.atomic():
            client, _ = Open311Client.objects.update_or_create(
                name=name,
                defaults={
                    "digest": hashlib.sha256(key.encode()).hexdigest(),
                    "prefix": key[:6],
                    "active": True,
                },
            )
            audit.record(actor=None, verb="open311.key_create", target=client)
        self.stdout.write(key)
