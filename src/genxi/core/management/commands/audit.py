import time

from django.core.management.base import BaseCommand, CommandError

from genxi.core import audit_chain


class Command(BaseCommand):
    help = (
        "The audit log's hash chain. `seal`: chain new events (--every N: keep doing it). "
        "`verify`: seal, then check the chain; names the first missing or altered event."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seal", "verify"])
        parser.add_argument("--every", type=int, default=0, help="seal: repeat every N seconds")
        parser.add_argument("--no-seal", action="store_true", help="verify: seal nothing first")
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="verify: a head printed by an earlier verify, which the chain must still hold",
        )

    def handle(self, *args, action, every, no_seal, head, **options):
        if action == "seal":
            while True:
                sealed = audit_chain.seal()
                if options["verbosity"] and (sealed or not every):
                    self.stdout.write(f"sealed {sealed} audit events")
                if not every:
                    return
                time.sleep(every)
        if not no_seal:
            audit_chain.seal(full=True)
        report = audit_chain.verify()
        if head:
            seq, _, digest = head.partition(":")
            if not (seq.isdigit() and len(digest) == 64):
                raise CommandError("--head: SEQ:HASH, as verify prints them")
            if not audit_chain.head_is_kept(int(seq), digest):
                raise CommandError(f"audit chain rewritten: #{seq} no longer has the hash {digest}")
        if report.problem:
            raise CommandError(
                f"audit chain broken at {report.problem}; "
                f"{report.verified} events verified before it"
            )
        self.stdout.write(
            f"verified {report.verified} audit events, chain #{report.first_seq}–"
            f"#{report.head_seq}; {report.unsealed} not sealed yet; "
            f"head {report.head_seq}:{report.head_hash}"
        )
