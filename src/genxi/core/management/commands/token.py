from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from genxi.core.models import ApiToken
from genxi.core.services import api_token_create, api_token_revoke


def _refusal(exc: ValidationError | PermissionDenied) -> CommandError:
    if isinstance(exc, ValidationError):
        return CommandError("; ".join(str(m) for m in exc.messages))
    return CommandError(str(exc))


class Command(BaseCommand):
    help = (
        "Manage personal API tokens: `genxi token create USERNAME [--name N] [--days D]` "
        "prints a new token; `genxi token list USERNAME` lists a user's tokens; "
        "`genxi token revoke PREFIX_OR_ID` revokes one."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument(
            "subject", metavar="USERNAME|PREFIX_OR_ID", help="a username (create, list), "
            "or a token's prefix (gx_…) or id (revoke)"
        )  # fmt: skip
        parser.add_argument("--name", default="", help="what the token is for (create)")
        parser.add_argument("--days", type=int, default=None, help="lifetime in days (create)")

    def handle(self, *args, **options):
        action, subject = options["action"], options["subject"].strip()
        if action == "revoke":
            return self._revoke(subject)
        user = get_user_model().objects.filter(username=subject).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user named {subject!r}")
        if action == "list":
            for t in ApiToken.objects.filter(user=user).order_by("-created_at"):
                state = "revoked" if t.revoked_at else "expired" if t.expired else "active"
                self.stdout.write(
                    f"{t.pk}\t{t.prefix}\t{t.name}\t{t.created_at:%Y-%m-%d}\t"
                    f"{t.expires_at:%Y-%m-%d}\t{state}"
                )
            return None
        try:
            raw = api_token_create(
                actor=None, user=user, name=options["name"], days=options["days"]
            )
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        self.stdout.write(raw)
        return None

    def _revoke(self, subject: str) -> None:
        match = Q(pk=int(subject)) if subject.isdigit() else Q(prefix=subject)
        tokens = list(ApiToken.objects.filter(match).select_related("user")[:2])
        if not tokens:
            raise CommandError(f"no token with id or prefix {subject!r}")
        if len(tokens) > 1:
            raise CommandError(f"several tokens have the prefix {subject!r}: give the id")
        try:
            token = api_token_revoke(actor=None, token=tokens[0])
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        self.stdout.write(f"revoked {token.prefix}… of {token.user.get_username()}")
