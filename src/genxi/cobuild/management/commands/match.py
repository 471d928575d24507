import json
import sys

from django.core.management.base import BaseCommand, CommandError

from genxi.cobuild.domain.matching import MatchingError
from genxi.cobuild.domain.problem import solve_problem


class Command(BaseCommand):
    help = "Match needs to resources: read a problem in JSON, print the optimal assignment."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="a JSON file, or - for stdin")
        parser.add_argument("--explain", action="store_true", help="print each score's parts")

    def handle(self, *args, **options):
        try:
            if options["input"] == "-":
                problem = json.load(sys.stdin)
            else:
                with open(options["input"], encoding="utf-8") as fh:
                    problem = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {options['input']}: {exc}") from exc
        try:
            result = solve_problem(problem).as_dict()
        except MatchingError as exc:
            raise CommandError(str(exc)) from exc
        if not options["explain"]:
            for a in result["assignments"]:
                a.pop("parts", None)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
