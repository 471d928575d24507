from django.core.management.base import BaseCommand

from genxi.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load the demo data (deterministic; running it again adds nothing twice)."

    def handle(self, *args, **options):
        created = DemoLoader(stdout=self.stdout).run()
        summary = ", ".join(f"{k}: {v}" for k, v in created.items()) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({summary})."))
        from genxi.cases import suggestions

        if suggestions.current_version() is None:
            # The category suggestions' first model (the worker trains the next ones).
            saved = suggestions.retrain(force=True)
            self.stdout.write(f"Suggestion model v{saved.pk}: {saved.note}")
