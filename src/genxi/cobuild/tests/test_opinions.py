"""Residents' opinions at a joint meeting: an invited unit's liaison gets the substance
without the resident; the staff over the host still see who said it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.cases.services import case_create
from genxi.cobuild import services


@pytest.fixture
def heard(world):
    resident = world.resident(world.grid_a1, name="王秀英")
    case = case_create(
        actor=None,
        channel="phone",
        text="王秀英反映:彩香新村5幢楼道堆满纸板,消防通道被堵",
        reporter=resident,
        reporter_contact="13912345678",
    )
    meeting = services.meeting_create(
        actor=world.users["street"],
        host=world.a1,
        title="共建联席会",
        starts_at=timezone.now(),
        place="街道",
        units=[world.objs["unit_a"]],
        agenda=["听取居民意见"],
    )
    services.opinion_add(actor=world.users["street"], meeting=meeting, case=case)
    services.opinion_add(actor=world.users["street"], meeting=meeting, note="希望增设充电桩")
    return meeting, case


def test_a_liaison_sees_the_substance_without_the_resident(client, world, heard):
    meeting, case = heard
    client.force_login(world.users["unit"])
    page = client.get(reverse("cobuild:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    opinions = html[html.index('id="opinions"') : html.index("</ul>", html.index('id="opinions"'))]
    assert "楼道堆满纸板" in opinions and "希望增设充电桩" in opinions
    assert "王秀英" not in opinions and case.code not in opinions
    assert "5678" not in html
    answer = client.get(f"/api/v1/cobuild/meetings/{meeting.pk}")
    assert answer.status_code == 200
    rows = answer.json()["opinions"]
    assert [r["note"] for r in rows] == ["", "希望增设充电桩"]
    assert "楼道堆满纸板" in rows[0]["text"]
    assert all(r["case_code"] is None and r["reporter"] is None for r in rows)
    assert "王秀英" not in answer.content.decode("utf-8")
    assert case.code not in answer.content.decode("utf-8")


@pytest.mark.parametrize("role", ["street", "community"])
def test_the_staff_see_who_said_it(client, world, heard, role):
    meeting, case = heard
    client.force_login(world.users[role])
    html = client.get(reverse("cobuild:meeting", args=[meeting.pk])).content.decode()
    opinions = html[html.index('id="opinions"') : html.index("</ul>", html.index('id="opinions"'))]
    assert case.code in opinions and "王秀英" in opinions
    rows = client.get(f"/api/v1/cobuild/meetings/{meeting.pk}").json()["opinions"]
    assert rows[0]["case_code"] == case.code and rows[0]["reporter"] == "王秀英"
    assert rows[0]["text"].startswith("王秀英反映")
