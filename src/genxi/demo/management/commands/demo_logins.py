from django.core.management.base import BaseCommand

from genxi.demo.loader import DEMO_USERS, PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD})")
        for username, display, role, where in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {display} ({role}{', ' + where if where else ''})")
        self.stdout.write("")
