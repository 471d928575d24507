from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from genxi.core.services import api_token_create


class Command(BaseCommand):
    help = "Manage personal API tokens: `genxi token create USERNAME` prints a new token."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user named {options['username']!r}")
        self.stdout.write(api_token_create(actor=None, user=user, name=options["name"]))
