"""`genxi inspections …`: the rectification notices from the command line.

- `genxi inspections notice-pdf NUMBER OUT.pdf` writes a notice's PDF;
- `genxi inspections notices [--json]` lists every notice (number, street, year, state);
- `genxi inspections escalate` escalates the open notices whose deadline has come (the
  periodic job; `inspections.tasks.escalate_due_notices` does the same in the worker)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from genxi.inspections import documents, selectors, services
from genxi.inspections.models import Notice


class Command(BaseCommand):
    help = "Rectification notices: notice-pdf NUMBER OUT.pdf | notices [--json] | escalate"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pdf = sub.add_parser("notice-pdf", help="write a notice's PDF")
        pdf.add_argument("number")
        pdf.add_argument("out")
        listing = sub.add_parser("notices", help="list every notice")
        listing.add_argument("--json", action="store_true", help="print JSON")
        sub.add_parser("escalate", help="escalate the notices whose deadline has come")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "notice-pdf":
            notice = Notice.objects.filter(number=options["number"]).first()
            if notice is None:
                raise CommandError(f"no rectification notice numbered {options['number']!r}")
            Path(options["out"]).write_bytes(documents.notice_pdf(notice))
            self.stdout.write(options["out"])
        elif action == "notices":
            rows = [
                {"number": n.number, "street": n.street.name, "year": n.year, "state": n.state}
                for n in selectors.notices_for_export()
            ]
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                for row in rows:
                    self.stdout.write(f"{row['number']}\t{row['street']}\t{row['state']}")
        else:
            done = services.escalate_due()
            self.stdout.write(f"escalated {len(done)}")
