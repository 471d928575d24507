from django.core.management.base import BaseCommand

from genxi.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo data (deterministic; running it again adds nothing twice). "
        "--scale city loads a synthetic city of a million residents and --cases cases "
        "instead (PostgreSQL, COPY; once, into an empty migrated database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "city"], default="demo")
        city = parser.add_argument_group("--scale city")
        city.add_argument("--cases", type=int, default=1_000_000)
        city.add_argument("--residents", type=int, default=1_000_000)
        city.add_argument("--districts", type=int, default=10, help="at most 10")
        city.add_argument("--streets", type=int, default=10, help="per district")
        city.add_argument("--communities", type=int, default=10, help="per street")
        city.add_argument("--grids", type=int, default=10, help="per community")
        city.add_argument("--days", type=int, default=1095, help="the cases' span, days back")
        city.add_argument("--workers", type=int, default=2, help="processes encrypting PII")

    def handle(self, *args, **options):
        if options["scale"] == "city":
            from genxi.demo.city.loader import CityLoader, Size

            size = Size(
                **{
                    k: options[k]
                    for k in ("districts", "streets", "communities", "grids", "residents")
                },
                cases=options["cases"],
                days=options["days"],
            )
            CityLoader(size, stdout=self.stdout, workers=options["workers"]).run()
            self.stdout.write(self.style.SUCCESS("City loaded."))
            return
        created = DemoLoader(stdout=self.stdout).run()
        summary = ", ".join(f"{k}: {v}" for k, v in created.items()) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({summary})."))
        from genxi.cases import suggestions

        if suggestions.current_version() is None:
            # The category suggestions' first model (the worker trains the next ones).
            saved = suggestions.retrain(force=True)
            self.stdout.write(f"Suggestion model v{saved.pk}: {saved.note}")
