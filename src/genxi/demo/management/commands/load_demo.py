from django.core.management.base import BaseCommand

from genxi.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load the demo data (deterministic; running it again adds nothing twice)."

    def handle(self, *args, **options):
        created = DemoLoader(stdout=self.stdout).run()
        summary = ", ".join(f"{k}: {v}" for k, v in created.items()) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({summary})."))
