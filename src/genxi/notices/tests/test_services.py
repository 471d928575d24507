"""Notices' writes: four eyes before publishing, the SMS broadcast only to consenting
residents of the audience (consent asked again when each text leaves, also under
concurrency on PostgreSQL), the poster's text and QR code, the reach and the counts."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from genxi.core import pdf
from genxi.core.models import AuditEvent, OutboundText
from genxi.core.sms import flush
from genxi.core.sms.senders import FakeSender
from genxi.core.stats import headline_counts
from genxi.core.testing.race import needs_postgres, race
from genxi.notices import selectors, services
from genxi.notices.models import Announcement, AnnouncementText, NoticeStatus, SmsOutcome
from genxi.notices.poster import poster_pdf
from genxi.people import services as people
from genxi.regions.models import Region

from .helpers import buildings, draft, publish, resident


@pytest.fixture(autouse=True)
def _fake_sms():
    FakeSender.reset()
    yield
    FakeSender.reset()


def test_the_author_cannot_approve_their_own_notice(world):
    notice = draft(world)
    services.notice_act(actor=world.users["community"], notice=notice, action="submit")
    with pytest.raises(ValidationError) as exc:
        services.notice_act(actor=world.users["community"], notice=notice, action="approve")
    assert "action" in exc.value.message_dict
    assert Announcement.objects.get(pk=notice.pk).status == NoticeStatus.SUBMITTED
    done = services.notice_act(actor=world.users["street"], notice=notice, action="approve")
    assert done.status == NoticeStatus.PUBLISHED and done.approved_by == world.users["street"]
    assert (
        AuditEvent.objects.filter(verb="notice.approve", actor=world.users["street"]).count() == 1
    )


def test_a_draft_is_not_approved_before_it_is_submitted_nor_public(world, client):
    notice = draft(world)
    with pytest.raises(ValidationError):
        services.notice_act(actor=world.users["street"], notice=notice, action="approve")
    assert client.get(notice.public_url()).status_code == 404
    assert list(selectors.current(world.a1)) == []


def test_return_needs_a_reason_and_the_returned_notice_is_edited_and_submitted_again(world):
    notice = draft(world)
    services.notice_act(actor=world.users["community"], notice=notice, action="submit")
    with pytest.raises(ValidationError) as exc:
        services.notice_act(actor=world.users["street"], notice=notice, action="return")
    assert "reason" in exc.value.message_dict
    services.notice_act(
        actor=world.users["street"], notice=notice, action="return", reason="请写明截止时间"
    )
    notice.refresh_from_db()
    assert notice.status == "returned" and notice.return_reason == "请写明截止时间"
    today = timezone.localdate()
    services.notice_update(
        actor=world.users["community"],
        notice=notice,
        title="楼道堆物清理通知(周六前)",
        text="请于本周六18时前清理。",
        valid_from=today,
        valid_until=today + timedelta(days=3),
    )
    services.notice_act(actor=world.users["community"], notice=notice, action="submit")
    assert Announcement.objects.get(pk=notice.pk).status == "submitted"


def test_only_the_staff_over_the_community_write_notices(world):
    for role in ("grid", "outsider", "unit", "system_admin"):
        with pytest.raises(PermissionDenied):
            draft(world, actor=world.users[role])
    notice = draft(world)
    services.notice_act(actor=world.users["community"], notice=notice, action="submit")
    with pytest.raises(PermissionDenied):
        services.notice_act(actor=world.users["outsider"], notice=notice, action="approve")


def test_sms_goes_only_to_consenting_residents_of_the_audience(
    world, django_capture_on_commit_callbacks
):
    b1, b2 = buildings(world)
    inside = resident(world, 1, building="1幢")
    resident(world, 2, building="1幢", consent=False)  # in the audience, no consent
    resident(world, 3, grid=world.grid_a1b, building="2幢")  # consents, other building
    resident(world, 4, grid=world.grid_a2, building="1幢")  # another community
    resident(world, 5, building="1幢", phone="")  # consents, no number
    notice = draft(
        world, audience="buildings", buildings=[b1], by_sms=True, sms_text="请清理楼道堆物。"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, notice)
    assert [s.phone for s in FakeSender.sent] == [inside.phone]
    assert FakeSender.sent[0].text == "【彩香一村社区】请清理楼道堆物。"
    outcomes = dict(
        AnnouncementText.objects.filter(notice=notice).values_list("resident__name", "outcome")
    )
    assert outcomes == {"居民1": "sent", "居民2": "no_consent", "居民5": "no_number"}
    r = selectors.reach(Announcement.objects.get(pk=notice.pk))
    assert (r.sms_sent, r.sms_no_consent, r.sms_no_number, r.sms_failed) == (1, 1, 1, 0)
    # The numbers are nowhere in the audit log.
    assert inside.phone not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_a_tag_narrows_the_audience(world, django_capture_on_commit_callbacks):
    alone = resident(world, 1, tags=["elderly_alone"])
    resident(world, 2)
    notice = draft(world, tag="elderly_alone", by_sms=True, sms_text="天冷注意保暖。")
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, notice)
    assert [s.phone for s in FakeSender.sent] == [alone.phone]


def test_consent_withdrawn_between_queueing_and_sending_means_no_sms(world, settings):
    settings.GENXI_SMS_PER_MINUTE = 100
    first = resident(world, 1)
    second = resident(world, 2)
    notice = draft(world, by_sms=True, sms_text="防范非法集资。")
    publish(world, notice)  # queued: the commit callbacks are not run here
    assert OutboundText.objects.filter(status="pending").count() == 2
    people.sms_consent_withdraw(actor=world.users["grid"], resident=second)
    assert flush() == 2
    assert [s.phone for s in FakeSender.sent] == [first.phone]
    outcome = AnnouncementText.objects.get(notice=notice, resident=second).outcome
    assert outcome == SmsOutcome.NO_CONSENT
    assert OutboundText.objects.get(status="refused").decided_at is not None


def test_a_withdrawn_notice_sends_nothing_more(world):
    resident(world, 1)
    notice = draft(world, by_sms=True, sms_text="停水通知。")
    publish(world, notice)
    services.notice_act(actor=world.users["community"], notice=notice, action="withdraw")
    flush()
    assert FakeSender.sent == []
    assert AnnouncementText.objects.get(notice=notice).outcome == SmsOutcome.STOPPED


@pytest.mark.django_db(transaction=True)
def test_consent_withdrawn_while_texts_leave_never_gets_a_text(settings, monkeypatch):
    """On PostgreSQL: ten residents' texts are sent by five threads while five other threads
    withdraw the consent of half of them. Whoever got a text had consent when it was
    decided (the decision precedes the withdrawal); nobody is texted after withdrawing."""
    needs_postgres()
    from genxi.core.sms.outbox import send_now
    from genxi.core.testing.world import build_world
    from genxi.people.models import SmsConsent

    settings.GENXI_SMS_PER_MINUTE = 1000
    # The worker is the threads below: nothing is sent when the broadcast commits.
    monkeypatch.setattr("genxi.core.sms.send_text", SimpleNamespace(enqueue=lambda pk: None))
    world = build_world()
    residents = [resident(world, n) for n in range(10)]
    notice = draft(world, by_sms=True, sms_text="防范非法集资。")
    publish(world, notice)
    rows = list(OutboundText.objects.filter(status="pending").order_by("pk"))
    assert len(rows) == 10
    leaving = residents[::2]
    calls = [lambda pk=row.pk: send_now(pk) for row in rows]
    calls += [
        lambda r=r: people.sms_consent_withdraw(actor=world.users["community"], resident=r)
        for r in leaving
    ]
    outcome = race(calls)
    assert outcome.errors == []
    sent_phones = {s.phone for s in FakeSender.sent}
    for r in residents:
        item = AnnouncementText.objects.get(notice=notice, resident=r)
        text = OutboundText.objects.get(pk=item.outbound_id)
        consent = SmsConsent.objects.get(resident=r)
        if consent.withdrawn_at is None:
            assert text.status == "sent" and r.phone in sent_phones
        elif text.status == "sent":
            assert text.decided_at < consent.withdrawn_at
        else:
            assert text.status == "refused" and r.phone not in sent_phones
            assert text.decided_at > consent.withdrawn_at
    assert len(FakeSender.sent) == len(sent_phones)  # nobody twice


def _qr_matrix_of(png: bytes, border: int = 4) -> list[list[bool]]:
    """The modules of a QR code image (square modules, a quiet zone of `border`)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width = image.width
    # The quiet zone is white; the finder pattern starts at the first dark pixel.
    first = next(x for x in range(width) if image.getpixel((x, x)) < 128)
    module = first // border
    n = (width - 2 * first) // module
    return [
        [
            image.getpixel((first + c * module + module // 2, first + r * module + module // 2))
            < 128
            for c in range(n)
        ]
        for r in range(n)
    ]


def test_the_poster_carries_the_text_and_a_qr_code_of_the_public_url(world):
    b1, b2 = buildings(world)
    notice = publish(world, draft(world, audience="buildings", buildings=[b1, b2]))
    url = "https://genxi.example.cn" + selectors.qr_path(notice)
    document = poster_pdf(notice, url, ["花南家园1幢", "花南家园2幢"])
    text = pdf.text(document)
    assert "楼道堆物清理通知" in text and "消防通道畅通" in text and "花南家园1幢" in text
    images = [img for page in PdfReader(io.BytesIO(document)).pages for img in page.images]
    assert len(images) == 1
    out = io.BytesIO()
    images[0].image.save(out, format="PNG")
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    assert _qr_matrix_of(out.getvalue()) == expected
    # … and a scan of it counts a view through the QR code, no person recorded.
    assert selectors.is_qr(notice, url.split("qr=")[1])
    assert not selectors.is_qr(notice, "forged")


def test_printing_records_the_buildings_and_the_reach(world):
    b1, b2 = buildings(world)
    notice = publish(world, draft(world))
    services.poster_print(actor=world.users["community"], notice=notice, buildings=[b1, b2])
    services.poster_print(actor=world.users["community"], notice=notice, buildings=[b1])
    services.notice_viewed(notice=notice, via_qr=True)
    services.notice_viewed(notice=notice, via_qr=False)
    r = selectors.reach(Announcement.objects.get(pk=notice.pk))
    assert (r.prints, r.buildings, r.qr_views, r.web_views) == (2, 2, 1, 1)
    other = Region.objects.exclude(pk=world.a1.pk).filter(level="community").first()
    from genxi.regions.models import Building, Estate

    estate = Estate.objects.create(community=other, name="别处")
    far = Building.objects.create(estate=estate, number="9", grid=other.children.first())
    with pytest.raises(ValidationError):
        services.poster_print(actor=world.users["street"], notice=notice, buildings=[far])


def test_a_draft_is_not_printed(world):
    b1, _ = buildings(world)
    with pytest.raises(ValidationError):
        services.poster_print(actor=world.users["community"], notice=draft(world), buildings=[b1])


def test_headline_counts(world, django_capture_on_commit_callbacks):
    resident(world, 1)
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, draft(world, by_sms=True, sms_text="通知。"))
    draft(world)  # a draft is not counted
    streets = Region.objects.filter(level="street").order_by("code")
    counts = headline_counts(streets)
    a = counts[world.a1.parent.name]
    assert (a["announcements"], a["notice_sms_sent"]) == (1, 1)
    assert all(
        c["announcements"] == 0 for name, c in counts.items() if name != world.a1.parent.name
    )
