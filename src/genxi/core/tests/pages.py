"""The core's readable routes (the page matrix, core/testing/page_matrix.py): account pages,
the inbox, the audit log, photos, the API's schema and docs."""

import secrets
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.models import ApiToken
from genxi.core.notifications import tell
from genxi.core.testing.page_matrix import PUBLIC, Page

SIGNED_IN = {"*": 200}
ANYONE = {"*": 200}
PHOTO_READERS = {
    "case": ("system_admin", "street", "community", "grid", "department"),
    "delivery": ("system_admin", "street", "community", "unit", "department"),
}


def seed(side):
    """A token of the side's staff and a message in its community worker's inbox."""
    raw = "gx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=side.staff,
        name=f"{side.tag}令牌",
        prefix=raw[:10],
        digest=ApiToken.hash(raw),
        expires_at=timezone.now() + timedelta(days=30),
    )
    tell([side.worker], verb="test.page", text=f"{side.tag}的通知")
    return {"token": token}


def _photo(kind, variant):
    def url(s):
        photo = s.case_photo if kind == "case" else s.delivery_photo
        return reverse("photo", args=[kind, photo.pk, variant])

    return url


PAGES = {
    "login": Page(lambda s: reverse("login"), kind=PUBLIC, answers=ANYONE),
    "logout": Page(lambda s: reverse("logout"), kind=PUBLIC, answers={"*": 405}),
    "password_change": Page(lambda s: reverse("password_change"), answers=SIGNED_IN),
    # Only a message that the password was changed: no need to sign in.
    "password_change_done": Page(
        lambda s: reverse("password_change_done"), kind=PUBLIC, answers={"*": 200}
    ),
    # Saved filters take a POST only (their pages: core/tests/test_saved_filters.py).
    "saved_filter_new": Page(lambda s: reverse("saved_filter_new"), answers={"*": 405}),
    "saved_filter_delete": Page(
        lambda s: reverse("saved_filter_delete", args=[1]), answers={"*": 405}
    ),
    "two_factor": Page(lambda s: reverse("two_factor"), answers=SIGNED_IN),
    "api_tokens": Page(
        lambda s: reverse("api_tokens"),
        answers=SIGNED_IN,
        shows={"security_admin": "runs the accounts: sees every account's tokens"},
    ),
    # The confirmation page: to the token's owner (the side's staff) and the security admin.
    "api_token_revoke": Page(
        lambda s: reverse("api_token_revoke", args=[s.token.pk]),
        ("street", "security_admin"),
        outside={"security_admin": 200},
    ),
    "inbox": Page(lambda s: reverse("inbox"), answers=SIGNED_IN),
    "audit": Page(
        lambda s: reverse("audit"),
        ("auditor",),
        shows={"auditor": "reads every event and the object it names (等保 audit)"},
    ),
    # A photo follows its case (the liaison sees only cases given to it) or its claim (a grid
    # worker sees no claims).
    "photo": [
        Page(_photo(kind, variant), PHOTO_READERS[kind], variant=f"{kind}.{variant}")
        for kind in ("case", "delivery")
        for variant in ("full", "thumb")
    ],
    # The phone's offline pieces (docs/offline.md): the same for everyone, nothing private.
    "service_worker": Page(lambda s: reverse("service_worker"), kind=PUBLIC, answers=ANYONE),
    "manifest": Page(lambda s: reverse("manifest"), kind=PUBLIC, answers=ANYONE),
    "offline": Page(lambda s: reverse("offline"), kind=PUBLIC, answers=ANYONE),
    "set_language": Page(lambda s: reverse("set_language"), kind=PUBLIC, answers={"*": 302}),
    # The schema is the same for everyone, and building it takes seconds: two rows.
    "api:openapi-json": Page(
        lambda s: reverse("api:openapi-json"),
        kind=PUBLIC,
        answers=ANYONE,
        roles=("anonymous", "street"),
    ),
    "api:openapi-view": Page(lambda s: reverse("api:openapi-view"), kind=PUBLIC, answers=ANYONE),
    "api:api-root": Page(lambda s: reverse("api:api-root"), kind=PUBLIC, answers={"*": 404}),
}
