"""Pictures of notices (issue #18: "a notice: title, text, images"): added to a draft by
the community's staff, stripped of their metadata, at most six, frozen once submitted;
public only with the published notice (its page, the screens' feed, the poster)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from genxi.core.models import AuditEvent
from genxi.core.testing.images import jpeg_with_gps
from genxi.notices import selectors, services
from genxi.notices.models import AnnouncementImage
from genxi.notices.poster import poster_pdf

from .helpers import draft, publish

pytestmark = pytest.mark.django_db


def _jpeg(name="楼道.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps().getvalue(), content_type="image/jpeg")


def _coloured(rgb) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), rgb).save(buf, "JPEG")
    return SimpleUploadedFile("c.jpg", buf.getvalue(), content_type="image/jpeg")


def _add(world, notice, **kw):
    return services.notice_image_add(
        actor=kw.pop("actor", world.users["community"]),
        notice=notice,
        image=kw.pop("image", None) or _jpeg(),
        **kw,
    )


def test_a_picture_loses_its_position_and_is_audited(world):
    notice = draft(world)
    picture = _add(world, notice, caption="三楼楼道")
    with picture.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG" and not stored.getexif()  # GPS and camera gone
    assert (picture.width, picture.height, picture.caption) == (800, 600, "三楼楼道")
    event = AuditEvent.objects.filter(verb="notice.image_add").get()
    assert event.after["image"] == picture.pk and event.after["caption"] == "三楼楼道"


def test_six_at_most_and_only_while_the_notice_is_a_draft(world):
    notice = draft(world)
    for _ in range(services.IMAGES_MAX):
        _add(world, notice)
    with pytest.raises(ValidationError) as refused:
        _add(world, notice)
    assert "最多 6 张" in str(refused.value.message_dict["image"])
    other = draft(world, title="停水通知")
    services.notice_act(actor=world.users["community"], notice=other, action="submit")
    with pytest.raises(ValidationError) as frozen:
        _add(world, other)
    assert "image" in frozen.value.message_dict
    assert AnnouncementImage.objects.filter(notice=other).count() == 0


def test_not_an_image_and_a_long_caption_are_refused_on_their_fields(world):
    notice = draft(world)
    with pytest.raises(ValidationError) as bad:
        _add(world, notice, image=SimpleUploadedFile("a.jpg", b"not a picture"))
    assert "image" in bad.value.message_dict
    with pytest.raises(ValidationError) as long:
        _add(world, notice, caption="长" * 41)
    assert "caption" in long.value.message_dict
    assert AnnouncementImage.objects.count() == 0


def test_only_the_communitys_staff_add_or_remove(world, django_capture_on_commit_callbacks):
    notice = draft(world)
    with pytest.raises(PermissionDenied):
        _add(world, notice, actor=world.users["grid"])
    picture = _add(world, notice)
    with pytest.raises(PermissionDenied):
        services.notice_image_remove(actor=world.users["grid"], picture=picture)
    names = [picture.image.name, picture.thumbnail.name]
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_image_remove(actor=world.users["community"], picture=picture)
    assert AnnouncementImage.objects.count() == 0
    assert not any(default_storage.exists(n) for n in names)  # the files went with the row
    assert AuditEvent.objects.filter(verb="notice.image_remove").get().before["image"]


def test_a_picture_is_public_only_with_the_published_notice(world, client):
    notice = draft(world)
    picture = _add(world, notice, caption="清理前")
    url = picture.public_url()
    assert client.get(url).status_code == 404  # a draft is nobody's business yet
    publish(world, notice)
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert client.get(picture.public_url("thumb")).status_code == 200
    assert client.get(url.replace("/full/", "/huge/")).status_code == 404
    page = client.get(notice.public_url()).content.decode()
    assert url in page and "清理前" in page
    feed = client.get(reverse("notices:screen_json", args=[world.a1.code])).json()
    assert [i["caption"] for i in feed["notices"][0]["images"]] == ["清理前"]
    assert (
        client.get(reverse("notices:screen", args=[world.a1.code])).content.decode().count(url) == 1
    )
    services.notice_act(actor=world.users["street"], notice=notice, action="withdraw")
    assert client.get(url).status_code == 404


def test_another_notices_code_does_not_open_a_picture(world, client):
    picture = _add(world, draft(world))
    other = publish(world, draft(world, title="停水通知"))
    publish(world, picture.notice)
    wrong = reverse("notices:public_image", args=[other.code, picture.pk, "full"])
    assert client.get(wrong).status_code == 404


def test_the_poster_prints_the_first_two_pictures(world):
    notice = draft(world)
    for rgb in ((200, 40, 40), (40, 200, 40), (40, 40, 200)):
        _add(world, notice, image=_coloured(rgb))
    publish(world, notice)
    document = poster_pdf(notice, "https://genxi.example.cn" + selectors.qr_path(notice), [])
    pages = PdfReader(io.BytesIO(document)).pages
    assert len(pages) == 1  # a short notice and its pictures fit on the one A4 sheet
    assert len(pages[0].images) == 3  # two pictures and the QR code


def test_staff_upload_on_the_notices_page_and_a_refusal_names_the_field(world, client):
    notice = draft(world)
    client.force_login(world.users["community"])
    page = reverse("notices:notice", args=[notice.pk])
    assert 'id="image-form"' in client.get(page).content.decode()
    added = client.post(
        reverse("notices:image_add", args=[notice.pk]), {"image": _jpeg(), "caption": "示意图"}
    )
    assert added.status_code == 302 and added["Location"].endswith("#images")
    picture = AnnouncementImage.objects.get()
    shown = client.get(page).content.decode()
    assert reverse("photo", args=["notice", picture.pk, "thumb"]) in shown
    assert client.get(reverse("photo", args=["notice", picture.pk, "full"])).status_code == 200
    bad = client.post(
        reverse("notices:image_add", args=[notice.pk]),
        {"image": SimpleUploadedFile("x.png", b"\x89PNG broken")},
    )
    assert bad.status_code == 400 and 'data-error-for="image"' in bad.content.decode()
    services.notice_act(actor=world.users["community"], notice=notice, action="submit")
    frozen = client.post(reverse("notices:image_remove", args=[notice.pk, picture.pk]))
    assert frozen.status_code == 400 and "只有草稿或被退回的公告可以修改" in frozen.content.decode()
    assert AnnouncementImage.objects.count() == 1
    client.force_login(world.users["outsider"])
    assert client.get(reverse("photo", args=["notice", picture.pk, "full"])).status_code == 404
