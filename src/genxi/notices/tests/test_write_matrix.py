"""The write matrix of notices (core/testing/write_matrix.py): a new notice, its edit,
each step (submit, approve — by someone other than the author —, return, withdraw) and
printing the poster, for every role, inside street A and in street B."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    Ctx,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
)
from genxi.notices import services
from genxi.notices.models import Announcement, AnnouncementImage, PosterPrint
from genxi.regions.models import Building, Estate

REFUSED = no(403)
STAFF = {"street": ok(302), "community": ok(302)}
# Who sees the notice but does not write it: the system admin, the department officer and
# the grid worker of its community.
RUNNERS = STAFF | {"system_admin": REFUSED, "department": REFUSED, "grid": REFUSED}


def _data(ctx: Ctx) -> dict:
    today = timezone.localdate()
    return {
        "title": "停水通知",
        "text": "本周三9时至17时停水。",
        "valid_from": f"{today:%Y-%m-%d}",
        "valid_until": f"{today + timedelta(days=3):%Y-%m-%d}",
        "audience": "community",
    }


def _draft(ctx: Ctx) -> Announcement:
    today = timezone.localdate()
    return services.notice_create(
        actor=ctx.staff,
        community=ctx.community,
        title=f"公告{ctx.role}",
        text="正文",
        valid_from=today,
        valid_until=today + timedelta(days=5),
    )


def _submitted_by_other(ctx: Ctx) -> Announcement:
    """Submitted by a person none of the roles is (so that the four-eyes rule is not what
    refuses): a second staff member of the place writes it."""
    from genxi.core.roles import Role
    from genxi.core.testing.world import make_user

    author = make_user(f"author-{ctx.side}-{ctx.role}", Role.COMMUNITY_WORKER, region=ctx.community)
    today = timezone.localdate()
    notice = services.notice_create(
        actor=author,
        community=ctx.community,
        title=f"公告{ctx.role}",
        text="正文",
        valid_from=today,
        valid_until=today + timedelta(days=5),
    )
    return services.notice_act(actor=author, notice=notice, action="submit")


def _published(ctx: Ctx) -> Announcement:
    notice = _submitted_by_other(ctx)
    services.notice_act(actor=ctx.staff, notice=notice, action="approve")
    estate = Estate.objects.create(community=ctx.community, name=f"家园{ctx.role}")
    ctx.extra["building"] = Building.objects.create(estate=estate, number="1", grid=ctx.grid)
    return notice


def _jpeg() -> SimpleUploadedFile:
    from genxi.core.testing.images import jpeg_with_gps

    return SimpleUploadedFile("p.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")


def _draft_with_picture(ctx: Ctx) -> Announcement:
    notice = _draft(ctx)
    ctx.extra["picture"] = services.notice_image_add(actor=ctx.staff, notice=notice, image=_jpeg())
    return notice


def _act(ctx: Ctx) -> str:
    return reverse("notices:act", args=[ctx.target.pk])


WRITES = [
    Write(
        "notice.create",
        route="notices:new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("notices:new", args=[ctx.target.code]),
        data=_data,
        watch=counts(Announcement),
        inside=STAFF,
    ),
    Write(
        "notice.update",
        route="notices:edit",
        make=_draft,
        url=lambda ctx: reverse("notices:edit", args=[ctx.target.pk]),
        data=_data,
        watch=fields("title", "text"),
        inside=RUNNERS,
    ),
    Write(
        "notice.submit",
        route="notices:act",
        make=_draft,
        url=_act,
        data=lambda ctx: {"action": "submit"},
        watch=fields("status"),
        inside=RUNNERS,
    ),
    Write(
        "notice.approve",
        route="notices:act",
        make=_submitted_by_other,
        url=_act,
        data=lambda ctx: {"action": "approve"},
        watch=fields("status", "approved_by_id"),
        inside=RUNNERS,
    ),
    Write(
        "notice.return",
        route="notices:act",
        make=_submitted_by_other,
        url=_act,
        data=lambda ctx: {"action": "return", "reason": "请补充时间"},
        watch=fields("status", "return_reason"),
        inside=RUNNERS,
    ),
    Write(
        "notice.withdraw",
        route="notices:act",
        make=_published,
        url=_act,
        data=lambda ctx: {"action": "withdraw"},
        watch=fields("status"),
        inside=RUNNERS,
    ),
    Write(
        "notice.image_add",
        route="notices:image_add",
        make=_draft,
        url=lambda ctx: reverse("notices:image_add", args=[ctx.target.pk]),
        data=lambda ctx: {"image": _jpeg(), "caption": "示意图"},
        watch=counts(AnnouncementImage),
        inside=RUNNERS,
    ),
    Write(
        "notice.image_remove",
        route="notices:image_remove",
        make=_draft_with_picture,
        url=lambda ctx: reverse(
            "notices:image_remove", args=[ctx.target.pk, ctx.extra["picture"].pk]
        ),
        watch=counts(AnnouncementImage),
        inside=RUNNERS,
    ),
    Write(
        "notice.print",
        route="notices:poster",
        make=_published,
        url=lambda ctx: reverse("notices:poster", args=[ctx.target.pk]),
        data=lambda ctx: {"buildings": [ctx.extra["building"].pk]},
        watch=counts(PosterPrint),
        inside=RUNNERS | {"street": ok(200), "community": ok(200)},
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.notices", WRITES)
