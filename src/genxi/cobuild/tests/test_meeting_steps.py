"""A joint meeting's steps, one sequence on its page and in its services: 筹备 until its
start time (agenda, invitations, opinions, calling off); from then on the minutes with
attendance and the resolutions; once held, corrections and more resolutions only; a
cancelled meeting takes nothing. Each step's button shows only when the service allows it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import Meeting, MeetingStatus, Resolution

LATER = timezone.localdate() + timedelta(days=40)


def _meeting(world, hours_from_now):
    return services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="金阊街道共建联席会",
        starts_at=timezone.now() + timedelta(hours=hours_from_now),
        place="街道党群服务中心",
        units=[world.objs["unit_a"]],
    )


def _resolve(world, meeting):
    return services.resolution_add(
        actor=world.users["street"],
        meeting=meeting,
        text="修好彩香一村的路灯",
        kind="case",
        owner=world.users["community"],
        community=world.a1,
        deadline=LATER,
    )


def _steps(client, meeting):
    page = client.get(reverse("cobuild:meeting", args=[meeting.pk])).content.decode()
    marks = dict(re.findall(r'data-step="(\w+)" data-mark="(\w+)"', page))
    return page, marks


def test_before_it_starts_a_meeting_is_prepared_not_recorded(client, world):
    meeting = _meeting(world, hours_from_now=48)
    street = world.users["street"]
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=street, meeting=meeting, minutes="纪要")
    assert exc.value.message_dict == {"status": ["会议开始后才能保存纪要与签到。"]}
    with pytest.raises(ValidationError) as exc:
        _resolve(world, meeting)
    assert exc.value.message_dict == {"status": ["会议开始后才能记录决议。"]}
    assert not Resolution.objects.exists()
    services.agenda_add(actor=street, meeting=meeting, title="通报共建项目")  # allowed
    services.opinion_add(actor=street, meeting=meeting, note="居民希望增设充电桩")

    client.force_login(street)
    page, marks = _steps(client, meeting)
    assert marks == {
        "prepare": "current", "convene": "todo", "record": "todo", "resolve": "todo",
        "follow": "todo",
    }  # fmt: skip
    assert 'id="record-submit"' not in page and 'id="resolution-form"' not in page
    assert 'id="agenda-form"' in page and 'id="cancel-form"' in page
    assert "开始后可保存纪要与签到、记录决议" in page
    assert "会议还没有开始" not in page
    refused = client.post(
        reverse("cobuild:meeting_act", args=[meeting.pk, "record"]), {"minutes": "纪要"}
    )
    assert refused.status_code == 400
    assert "会议开始后才能保存纪要与签到。" in refused.content.decode()


def test_once_started_minutes_attendance_and_resolutions_are_recorded(client, world):
    meeting = _meeting(world, hours_from_now=-1)
    client.force_login(world.users["street"])
    page, marks = _steps(client, meeting)
    assert marks["convene"] == "done" and marks["record"] == "current"
    assert 'id="record-submit"' in page and 'id="resolution-form"' in page
    assert "保存纪要与签到" in page
    _resolve(world, meeting)
    invitee = meeting.invitees.get()
    response = client.post(
        reverse("cobuild:meeting_act", args=[meeting.pk, "record"]),
        {"minutes": "会议研究了路灯问题。", "attended": [invitee.pk]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    invitee.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and invitee.attended is True
    page, marks = _steps(client, meeting)
    assert [marks[k] for k in ("record", "resolve", "follow")] == ["done", "done", "current"]
    assert "更正纪要与签到" in page and 'id="resolution-form"' in page
    assert 'id="agenda-form"' not in page and 'id="cancel-form"' not in page


def test_a_held_meeting_takes_corrections_and_resolutions_only(world):
    meeting = _meeting(world, hours_from_now=-1)
    street = world.users["street"]
    services.meeting_record(actor=street, meeting=meeting, minutes="初稿")
    services.meeting_record(actor=street, meeting=meeting, minutes="更正后的纪要")
    assert Meeting.objects.get(pk=meeting.pk).minutes == "更正后的纪要"
    _resolve(world, meeting)
    refused = {
        "agenda": lambda: services.agenda_add(actor=street, meeting=meeting, title="x"),
        "cancel": lambda: services.meeting_cancel(actor=street, meeting=meeting, reason="x"),
        "opinion": lambda: services.opinion_add(actor=street, meeting=meeting, note="x"),
        "invite": lambda: services.meeting_invite(
            actor=street, meeting=meeting, resident=world.resident(world.grid_a1, "代表")
        ),
    }
    for name, act in refused.items():
        with pytest.raises(ValidationError) as exc:
            act()
        assert "status" in exc.value.message_dict, name


def test_a_cancelled_meeting_takes_nothing_and_shows_no_steps(client, world):
    meeting = _meeting(world, hours_from_now=-1)
    street = world.users["street"]
    services.meeting_cancel(actor=street, meeting=meeting, reason="台风")
    for act in (
        lambda: services.meeting_record(actor=street, meeting=meeting, minutes="x"),
        lambda: _resolve(world, meeting),
        lambda: services.agenda_add(actor=street, meeting=meeting, title="x"),
    ):
        with pytest.raises(ValidationError):
            act()
    client.force_login(street)
    page, marks = _steps(client, meeting)
    assert not marks and "<form" not in page.split("</h1>", 1)[1].split("<footer", 1)[0]


def test_an_invited_liaison_sees_the_steps_and_no_buttons(client, world):
    meeting = _meeting(world, hours_from_now=-1)
    client.force_login(world.users["unit"])
    page, marks = _steps(client, meeting)
    assert marks["record"] == "current"
    for form in ("record-submit", "resolution-form", "agenda-form", "cancel-form"):
        assert f'id="{form}"' not in page
