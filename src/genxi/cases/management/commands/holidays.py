from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from genxi.cases.holiday_services import holidays_sync


class Command(BaseCommand):
    help = (
        "The working-day calendar. `sync --year Y`: fill year Y's official holidays and 调休 "
        "workdays from the chinesecalendar package (offline), keeping the days set by hand "
        "in the admin. Fails for a year the installed package does not cover."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync"])
        parser.add_argument(
            "--year", type=int, action="append", required=True, help="repeat for more years"
        )

    def handle(self, *args, action, year, **options):
        for y in year:
            try:
                result = holidays_sync(actor=None, year=y)
            except ValidationError as exc:
                message = " ".join(exc.message_dict["year"])
                raise CommandError(
                    f"{message} Upgrade chinesecalendar once the State Council has published "
                    f"{y}'s arrangement, or enter {y}'s holidays in the admin (节假日)."
                ) from exc
            kept = f", {len(result.kept)} set by hand kept" if result.kept else ""
            self.stdout.write(
                f"{y}: {result.created} days added, {result.updated} corrected, "
                f"{result.deleted} removed{kept}"
            )
