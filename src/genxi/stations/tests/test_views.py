"""The stations' pages: what the public sees (and never sees), the counts on a station's
page, the reflection form's limits."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from genxi.stations import public, services
from genxi.stations.domain.hours import TZ, parse_day, status
from genxi.stations.models import Reflection, StationVisit

from .helpers import station, volunteer


def test_the_public_pages_show_the_station_and_no_one(client, world):
    s = station(world, manager=world.users["community"])
    world.users["community"].display_name = "王社工"
    world.users["community"].save()
    duty = volunteer(world, s)
    services.visit_log(actor=duty, station=s, kind="courier", note="张师傅 13912345678")
    r = services.reflection_create(station=s, text="谢谢!有事打我电话13912345678", signature="李四")
    services.reflection_moderate(actor=duty, reflection=r, approve=True)
    services.reflection_create(station=s, text="还没审核的留言")
    for url in (reverse("stations:map"), reverse("stations:public", args=[s.pk])):
        body = client.get(url).content.decode()
        assert "彩香驿站" in body and "微波炉" in body
        for private in ("王社工", "值守先锋", "张师傅", "13912345678", "还没审核"):
            assert private not in body, (url, private)
    body = client.get(reverse("stations:public", args=[s.pk])).content.decode()
    assert "谢谢!有事打我电话139****5678" in body  # typed numbers are masked


def test_open_now_and_when_it_opens(client, world):
    evening = datetime(2026, 12, 2, 21, 0, tzinfo=TZ)
    weekly = {d: parse_day("08:00-20:00") for d in range(7)}
    assert public.status_text(status(evening, weekly, {}), evening) == "已关闭 · 明天 8:00 开放"
    morning = evening.replace(hour=9)
    assert public.status_text(status(morning, weekly, {}), morning) == "现在开放 · 至 20:00"
    station(world, name="全天驿站", weekly={d: parse_day("00:00-24:00") for d in range(7)})
    station(world, name="不开放驿站", weekly={})
    body = client.get(reverse("stations:map")).content.decode()
    assert body.count('data-open="1"') == 1 and "已关闭" in body


def test_a_station_page_counts_visits_by_type_day_and_hour(client, world):
    s = station(world)
    now = timezone.now()
    StationVisit.objects.bulk_create(
        [StationVisit(station=s, kind="rider", at=now - timedelta(minutes=i)) for i in range(3)]
        + [StationVisit(station=s, kind="courier", at=now - timedelta(days=2))]
        + [StationVisit(station=s, kind="courier", at=now - timedelta(days=40))]  # too old
    )
    client.force_login(world.users["community"])
    body = client.get(reverse("stations:station", args=[s.pk])).content.decode()
    assert "近 30 天共 4 人次" in body
    assert 'data-kind="rider">3</td>' in body and 'data-kind="courier">1</td>' in body
    assert 'id="visit-form"' in body  # the staff may log


def test_a_duty_volunteer_logs_with_one_tap(client, world):
    s = station(world)
    duty = volunteer(world, s)
    client.force_login(duty)
    response = client.post(reverse("stations:visit", args=[s.pk]), {"kind": "sanitation"})
    assert response.status_code == 302
    assert StationVisit.objects.get().recorded_by == duty
    body = client.get(reverse("stations:station", args=[s.pk])).content.decode()
    assert 'class="badge text-bg-primary ms-2 today-count" data-kind="sanitation">1<' in body
    assert 'id="station-edit"' not in body  # a volunteer does not edit the station


def test_the_reflection_form_is_limited(client, world):
    s = station(world)
    url = reverse("stations:reflect", args=[s.pk])
    assert client.post(url, {"text": "长" * 201}).status_code == 400
    assert client.post(url, {"text": "谢谢", "website": "http://spam"}).status_code == 302
    assert not Reflection.objects.exists()  # the bot's went nowhere
    cache.clear()
    for _ in range(public.REFLECTION_LIMIT):
        assert client.post(url, {"text": "谢谢驿站"}).status_code == 302
    response = client.post(url, {"text": "再来一条"})
    assert response.status_code == 429 and "太频繁" in response.content.decode()
    assert Reflection.objects.count() == public.REFLECTION_LIMIT
    cache.clear()  # the address's count would refuse later tests' reflections


def test_a_closed_down_station_is_not_public(client, world):
    s = station(world)
    services.station_update(actor=world.users["community"], station=s, active=False)
    assert client.get(reverse("stations:public", args=[s.pk])).status_code == 404
    assert "彩香驿站" not in client.get(reverse("stations:map")).content.decode()


def test_an_empty_station_list_says_why(client, world):
    """With no station yet the list says so (and how to add one), not that nothing matched
    a filter no one set; with a filter set it says nothing matched."""
    client.force_login(world.users["community"])
    body = client.get(reverse("stations:stations")).content.decode()
    assert "本辖区还没有驿站。点击上方“新建驿站”登记一个。" in body
    assert "没有符合条件的驿站" not in body
    body = client.get(reverse("stations:stations"), {"q": "没有这个"}).content.decode()
    assert "没有符合条件的驿站。" in body
