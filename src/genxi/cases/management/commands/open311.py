from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from genxi.cases.models import Open311Client
from genxi.cases.open311.services import open311_client_create, open311_client_revoke


class Command(BaseCommand):
    help = "Manage Open311 clients: `genxi open311 key create NAME` prints a new api_key."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["key"])
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("name")

    def handle(self, *args, **options):
        name = options["name"]
        if options["action"] == "revoke":
            client = Open311Client.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"no Open311 client named {name!r}")
            open311_client_revoke(actor=None, client=client)
            self.stdout.write(f"revoked {name}")
            return
        try:
            _client, key = open311_client_create(actor=None, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(key)
