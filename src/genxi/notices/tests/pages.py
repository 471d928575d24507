"""The readable routes of notices (core/testing/page_matrix.py): the staff's list, new
notice, notice and edit pages; the public notice page and the community's screen board
with its JSON (public by design: a published notice is for every resident)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.page_matrix import PUBLIC, Page
from genxi.notices import services
from genxi.regions.models import Building, Estate

NOTICE_READERS = ("system_admin", "street", "community", "grid", "department")
ALL_STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
RUNNERS = ("street", "community")
REFUSED = {"system_admin": 403, "grid": 403, "department": 403}
POST_ONLY = {"*": 405}
PUBLIC_ALL = {"*": 200}
PUBLIC_SHOWS = {"*": "a published notice and the community's board are public by design"}


def seed(side):
    """A published notice with a picture and its poster printed for one building, on the
    side's community."""
    today = timezone.localdate()
    notice = services.notice_create(
        actor=side.staff,
        community=side.community,
        title=f"{side.tag}楼道堆物清理",
        text=f"{side.tag}请清理楼道杂物。",
        valid_from=today,
        valid_until=today + timedelta(days=7),
    )
    jpeg = SimpleUploadedFile("p.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")
    picture = services.notice_image_add(actor=side.staff, notice=notice, image=jpeg)
    services.notice_act(actor=side.staff, notice=notice, action="submit")
    services.notice_act(actor=side.worker, notice=notice, action="approve")
    estate = Estate.objects.create(community=side.community, name=f"{side.tag}家园")
    building = Building.objects.create(estate=estate, number="1", grid=side.grid)
    services.poster_print(actor=side.staff, notice=notice, buildings=[building])
    return {"notice": notice, "picture": picture}


PAGES = {
    "notices:notices": Page(lambda s: reverse("notices:notices"), ALL_STAFF),
    "notices:new": Page(
        lambda s: reverse("notices:new", args=[s.community.code]),
        RUNNERS,
        outside={"street": 404, "community": 404},
    ),
    "notices:notice": Page(lambda s: reverse("notices:notice", args=[s.notice.pk]), NOTICE_READERS),
    "notices:edit": Page(
        lambda s: reverse("notices:edit", args=[s.notice.pk]),
        RUNNERS,
        answers=REFUSED,
        near={"grid": 404},
        outside={"department": 404, "grid": 404},
    ),
    "notices:act": Page(lambda s: reverse("notices:act", args=[s.notice.pk]), answers=POST_ONLY),
    "notices:poster": Page(
        lambda s: reverse("notices:poster", args=[s.notice.pk]), answers=POST_ONLY
    ),
    "notices:image_add": Page(
        lambda s: reverse("notices:image_add", args=[s.notice.pk]), answers=POST_ONLY
    ),
    "notices:image_remove": Page(
        lambda s: reverse("notices:image_remove", args=[s.notice.pk, s.picture.pk]),
        answers=POST_ONLY,
    ),
    "notices:public_image": Page(
        lambda s: reverse("notices:public_image", args=[s.notice.code, s.picture.pk, "thumb"]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "notices:public": Page(
        lambda s: reverse("notices:public", args=[s.notice.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "notices:screen": Page(
        lambda s: reverse("notices:screen", args=[s.community.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "notices:screen_json": Page(
        lambda s: reverse("notices:screen_json", args=[s.community.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
}
