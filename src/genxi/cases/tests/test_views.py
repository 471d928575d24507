"""Pages of the loop: queues, intake, the case page's actions, phone tasks, public pages."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from genxi.cases import services
from genxi.cases.models import Case, CaseState, Category
from genxi.core.testing.queries import count_queries


def _case(world, grid=None, text="彩香新村5幢楼道里堆满了杂物"):
    return services.case_create(
        actor=None, channel="phone", text=text, region=grid or world.grid_a1
    )


def test_queue_is_scoped_and_bounded(client, loop):
    inside, outside = _case(loop), _case(loop, loop.grid_b1, "观景新村的路灯坏了很多天")
    client.force_login(loop.users["community"])
    body = client.get(reverse("cases:queue")).content.decode()
    assert inside.code in body and outside.code not in body
    assert client.get(reverse("cases:detail", args=[outside.code])).status_code == 404
    few = count_queries(lambda: client.get(reverse("cases:queue")))
    for n in range(10):
        _case(loop, text=f"第{n}件:小区路灯不亮了")
    assert count_queries(lambda: client.get(reverse("cases:queue"))) == few


def test_detail_offers_exactly_the_allowed_actions(client, loop):
    case = _case(loop)
    client.force_login(loop.users["community"])
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert 'data-action="accept"' in body and 'data-action="reject"' in body
    assert 'data-action="take"' not in body
    client.force_login(loop.users["grid"])
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 200
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "data-action=" not in body


def test_dispatch_through_the_page(client, loop):
    case = _case(loop)
    client.force_login(loop.users["community"])
    env = Category.objects.get(code="ENV.02")
    client.post(reverse("cases:act", args=[case.code, "accept"]), {"category": env.pk})
    response = client.post(
        reverse("cases:act", args=[case.code, "dispatch"]), {"handler": loop.users["grid"].pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.handler == loop.users["grid"]
    # The case page now names the handler in its 处置人 row.
    body = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert f'<dd class="col-8">{loop.users["grid"]}</dd>' in body
    # A refusal is the case page again, the error beside the field, and changes nothing.
    events = case.events.count()
    response = client.post(reverse("cases:act", args=[case.code, "transfer"]), {})
    assert response.status_code == 400
    assert '<div class="text-danger small" data-error-for="handler">请选择处置人。</div>' in (
        response.content.decode()
    )
    assert not list(response.context["messages"])
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.handler == loop.users["grid"]
    assert case.events.count() == events


def test_intake_form_and_duplicates_panel(client, loop):
    first = services.case_create(
        actor=None, channel="phone", text="彩香新村5幢楼道里堆满了杂物", lat=31.321, lon=120.591
    )
    client.force_login(loop.users["community"])
    panel = client.get(
        reverse("cases:duplicates"),
        {"lat": "31.3211", "lon": "120.5911", "text": "5幢楼道堆满杂物"},
    )
    assert first.code in panel.content.decode()
    response = client.post(reverse("cases:new"), {"text": "短", "urgency": "normal"})
    assert response.status_code == 400 and 'data-error-for="text"' in response.content.decode()
    response = client.post(
        reverse("cases:new"),
        {
            "text": "三元一村路口的路灯坏了",
            "urgency": "normal",
            "lat": "31.3211",
            "lon": "120.5911",
            "channel": "walk_in",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(text="三元一村路口的路灯坏了").channel == "walk_in"


def test_public_report_track_and_rate(client, loop):
    cache.clear()
    response = client.post(
        reverse("public:report"),
        {
            "text": "彩香新村5幢门口的地砖翘起来了",
            "lat": "31.3212",
            "lon": "120.5912",
            "reporter_contact": "13912345678",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(channel="public_form")
    case.reporter_secret = response["Location"].split("key=")[1]
    page = client.get(response["Location"]).content.decode()
    assert case.code in page and "13912345678" not in page and "已上报" in page
    for who, action, fields in [
        ("community", "accept", {}),
        ("community", "dispatch", {"handler": loop.users["grid"]}),
        ("grid", "take", {}),
        ("grid", "resolve", {"result": "已修复地砖"}),
        ("community", "verify", {}),
    ]:
        services.case_act(actor=loop.users[who], case=case, action=action, **fields)
    page = client.get(reverse("public:track_case", args=[case.code])).content.decode()
    assert "已修复地砖" in page and 'name="rating"' in page
    assert loop.users["grid"].username not in page  # staff are not named
    client.post(response["Location"], {"rating": "satisfied", "key": case.reporter_secret})
    case.refresh_from_db()
    assert case.rating == "satisfied"
    assert client.get(reverse("public:track_case", args=["NOSUCHCODE"])).status_code == 404


def test_public_report_is_rate_limited(client, loop):
    cache.clear()
    data = {"text": "彩香新村5幢门口的地砖翘起来了", "lat": "31.3212", "lon": "120.5912"}
    statuses = [client.post(reverse("public:report"), data).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]
    assert Case.objects.count() == 5


def test_find_my_grid_and_pioneers(client, loop):
    loop.building(loop.grid_a1b, "彩香新村", "12")
    loop.pioneer(loop.grid_a1b, "P-F", "李建国")
    page = client.get(reverse("public:find"), {"address": "彩香新村12栋"}).content.decode()
    assert "第2网格" in page and "李**" in page and "李建国" not in page
    data = client.get(
        reverse("public:find"), {"lat": "31.3205", "lon": "120.5905", "format": "json"}
    ).json()
    assert data["grid"]["code"] == loop.grid_a1.code


@pytest.mark.parametrize("url", ["cases:queue", "cases:tasks", "cases:metrics", "inbox"])
def test_staff_pages_need_login(client, loop, url):
    response = client.get(reverse(url))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_metrics_page_and_selector(client, loop):
    from genxi.cases.selectors import metrics

    case = _case(loop)
    services.case_act(actor=loop.users["community"], case=case, action="accept")
    m = metrics(user=loop.users["community"])
    assert m["received"] == 1 and m["response_rate"] == 1.0 and m["resolution_rate"] == 0.0
    client.force_login(loop.users["street"])
    assert client.get(reverse("cases:metrics")).status_code == 200


def test_metrics_page_explains_itself_and_shows_no_false_zeros(client, loop):
    """No repository path on the page: the rules are on it. With nothing resolved yet, the
    average handling time and the on-time resolution rate are "—", not 0."""
    case = _case(loop)
    services.case_act(actor=loop.users["community"], case=case, action="accept")
    client.force_login(loop.users["street"])
    body = client.get(reverse("cases:metrics")).content.decode()
    assert "docs/" not in body and 'id="metric-rules"' in body
    cards = dict(
        re.findall(
            r'<div class="text-muted small">([^<]+)</div><div class="fs-3 fw-bold">([^<]+)<', body
        )
    )
    assert cards["按期响应率"] == "100%"
    assert cards["按期办结率"] == "—" and cards["平均处置时长(小时)"] == "—"
    assert cards["受理件数"] == "1"


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        ("community", ["mine", "dispatch", "escalated", "due_soon", "overdue", "flagged", "all"]),
        ("street", ["mine", "dispatch", "escalated", "due_soon", "overdue", "flagged", "all"]),
        ("grid", ["mine", "due_soon", "overdue", "all"]),
        ("unit", ["mine", "assist", "due_soon", "overdue", "all"]),
    ],
)
def test_each_role_sees_the_queues_it_works(client, loop, role, tabs):
    """A handler is not shown the dispatchers' 待派遣 and 督办 tabs, nor a 统计 menu entry
    that would be all dashes for it."""
    client.force_login(loop.users[role])
    body = client.get(reverse("cases:queue")).content.decode()
    assert re.findall(r'href="\?queue=(\w+)"', body) == tabs
    assert (reverse("cases:metrics") in body) == (role in ("community", "street"))


def test_the_queues_filters_say_what_they_are(client, loop):
    """A search box holding 电梯 and two drop-downs left at a choice say what they filter
    (to a screen reader, and once the placeholder has gone)."""
    client.force_login(loop.users["street"])
    body = client.get(reverse("cases:queue"), {"q": "电梯"}).content.decode()
    for name, label in (("q", "查询码或内容"), ("state", "全部状态"), ("category", "全部类别")):
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', body).group(0)
        assert f'aria-label="{label}"' in tag, tag
    assert "data-short-search" in body  # a two-character search: the 90-day note
