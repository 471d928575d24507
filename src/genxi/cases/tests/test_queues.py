"""The queue and the case page as people use them: full place names, state badges, 督办
pinned only while open, cards on a phone, the place picker, the main step first and
联系居民 (a recorded reveal of the reporter's number)."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from genxi.cases import selectors, services
from genxi.cases.models import Case, CaseState
from genxi.core.models import AuditEvent
from genxi.core.roles import Perm
from genxi.core.scope import scope_for

PHONE = "13912345678"


def _case(world, text="楼道里堆满了杂物", grid=None, **update):
    case = services.case_create(
        actor=world.users["street"],
        channel="phone",
        text=text,
        region=grid or world.grid_a1,
        reporter_contact=PHONE,
    )
    if update:
        Case.objects.filter(pk=case.pk).update(**update)
        case.refresh_from_db()
    return case


def _dispatched(world, **update):
    update = {"state": CaseState.DISPATCHED, "handler": world.users["grid"]} | update
    return _case(world, **update)


def test_a_grid_is_named_with_its_community(loop):
    assert loop.grid_a1.full_name == "彩香一村社区 · 第1网格"
    assert loop.a1.full_name == "彩香一村社区"  # a community is named by itself
    case = _case(loop)
    listed = selectors.case_list(user=loop.users["street"])
    assert [c.region.full_name for c in listed] == ["彩香一村社区 · 第1网格"]
    assert case.code in [c.code for c in listed]


def test_flagged_cases_come_first_only_while_open(loop):
    old_flagged_open = _case(loop, "先报的督办", flagged=True)
    closed_flagged = _case(loop, "已结案的督办", flagged=True, state=CaseState.CLOSED)
    plain_new = _case(loop, "最新的一件")
    order = [c.code for c in selectors.case_list(user=loop.users["street"])]
    # The open 督办 case first; the closed one sorts by date, after the newer plain case.
    assert order == [old_flagged_open.code, plain_new.code, closed_flagged.code]
    flagged_tab = selectors.case_list(user=loop.users["street"], queue="flagged")
    assert [c.code for c in flagged_tab] == [old_flagged_open.code]


def test_the_queue_shows_places_badges_and_cards(client, loop):
    case = _case(loop, state=CaseState.ACCEPTED, returns=1)
    _case(loop, "第二网格的事", grid=loop.grid_a1b, state=CaseState.RESOLVED)
    client.force_login(loop.users["street"])
    body = client.get(reverse("cases:queue")).content.decode()
    # The place in the table's row and in the phone's card (an unnamed handler is shown by
    # its post, "彩香一村社区 · 第1网格 网格员/海棠先锋(未署名)": not a place).
    assert len(re.findall("彩香一村社区 · 第1网格(?! 网格员)", body)) == 2
    assert "彩香一村社区 · 第2网格" in body
    assert 'class="badge text-bg-danger" data-state="accepted">已退回' in body  # sent back
    assert 'class="badge text-bg-success" data-state="resolved">已办结' in body
    assert f'data-code="{case.code}"' in body  # its card
    # The place picker: the communities and grids the street admin sees, named in full.
    assert 'name="region"' in body and "彩香一村社区(全部网格)" in body
    assert "观景社区" not in body  # street B's
    picked = client.get(reverse("cases:queue"), {"region": loop.grid_a1b.code})
    assert "第二网格的事" in picked.content.decode()
    assert "楼道里堆满了杂物" not in picked.content.decode()


def test_a_flagged_overdue_row_and_card_are_marked(client, loop):
    """The rows are written by `case_row` / `case_card` (not the template engine): a 督办
    case is highlighted, an overdue one says 超期, and the text is escaped."""
    case = _case(loop, "<b>楼道</b>里堆满了杂物 13912345678", flagged=True)
    Case.objects.filter(pk=case.pk).update(resolve_by=case.created_at)  # overdue now
    client.force_login(loop.users["street"])
    body = client.get(reverse("cases:queue")).content.decode()
    assert '<tr class="table-warning">' in body
    assert 'case-card border-warning" href="/cases/' in body
    assert body.count('<span class="badge text-bg-danger">督办</span>') == 2
    assert body.count("超期") >= 2 and 'class="text-nowrap text-danger"' in body
    assert "&lt;b&gt;楼道&lt;/b&gt;" in body and "<b>楼道</b>" not in body
    # The title's number is shown only to whoever may reveal personal data.
    reveals = scope_for(loop.users["street"]).has(Perm.REVEAL_PII)
    assert (PHONE in body) == reveals


def test_the_grid_worker_picks_among_its_own_grid_only(client, loop):
    client.force_login(loop.users["grid"])
    body = client.get(reverse("cases:queue")).content.decode()
    assert loop.grid_a1.code in body
    assert loop.grid_a1b.code not in body and loop.a2.code not in body


def test_the_handlers_main_step_comes_first(client, loop):
    case = _dispatched(loop, state=CaseState.IN_PROGRESS)
    client.force_login(loop.users["grid"])
    body = client.get(case.get_absolute_url()).content.decode()
    primary = body.index('class="case-primary"')
    assert body.index('data-action="resolve"', primary) < body.index('class="case-actions"')
    assert body.index('data-action="return"') > body.index('class="case-actions"')
    assert 'id="case-place">彩香一村社区 · 第1网格' in body
    assert 'id="case-state" data-state="in_progress"' in body


def test_the_handler_reveals_the_reporters_number_with_a_reason(client, loop):
    case = _dispatched(loop)
    client.force_login(loop.users["grid"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "联系居民" in page and PHONE not in page
    url = reverse("cases:contact", args=[case.code])
    refused = client.post(url, {"reason": "打"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and 'data-error-for="reason"' in refused.content.decode()
    assert not AuditEvent.objects.filter(verb="case.contact_reveal").exists()
    shown = client.post(url, {"reason": "上门前确认地址"}, HTTP_HX_REQUEST="true")
    assert shown.status_code == 200
    assert f'href="tel:{PHONE}"' in shown.content.decode()
    event = AuditEvent.objects.get(verb="case.contact_reveal")
    assert event.actor == loop.users["grid"] and event.reason == "上门前确认地址"
    assert PHONE not in str(event.after)
    assert shown.headers["Cache-Control"].startswith("no-store")


def test_only_the_handler_and_dispatchers_may_reveal(loop):
    case = _dispatched(loop)
    for role in ("community", "street", "grid"):
        assert services.contact_reveal(actor=loop.users[role], case=case, reason="电话核实情况")
    for role in ("unit", "community2", "system_admin"):  # handle nothing, dispatch elsewhere
        with pytest.raises(PermissionDenied):
            services.contact_reveal(actor=loop.users[role], case=case, reason="电话核实情况")
    Case.objects.filter(pk=case.pk).update(handler=loop.users["community"])
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):  # no longer its handler
        services.contact_reveal(actor=loop.users["grid"], case=case, reason="电话核实情况")


def test_reveals_are_rate_limited(loop, settings):
    cache.clear()
    case = _dispatched(loop)
    grid = loop.users["grid"]
    for _ in range(services.CONTACT_LIMIT):
        services.contact_reveal(actor=grid, case=case, reason="电话核实情况")
    with pytest.raises(ValidationError) as refused:
        services.contact_reveal(actor=grid, case=case, reason="电话核实情况")
    assert "reason" in refused.value.message_dict
    reveals = AuditEvent.objects.filter(verb="case.contact_reveal", actor=grid).count()
    assert reveals == services.CONTACT_LIMIT


def test_every_state_has_its_colour():
    from genxi.cases.templatetags.cases import STATE_BADGES

    assert set(STATE_BADGES) == set(CaseState.values)


def test_without_script_the_number_comes_on_the_case_page(client, loop):
    case = _dispatched(loop)
    client.force_login(loop.users["community"])
    answer = client.post(reverse("cases:contact", args=[case.code]), {"reason": "电话核实情况"})
    body = answer.content.decode()
    assert answer.status_code == 200 and f'href="tel:{PHONE}"' in body
    assert 'class="case-primary"' in body  # the whole page
    client.force_login(loop.users["unit"])  # sees nothing of grid_a1's cases
    assert (
        client.post(
            reverse("cases:contact", args=[case.code]), {"reason": "电话核实情况"}
        ).status_code
        == 404
    )


def test_a_dispatcher_picks_the_handler(client, loop):
    mine = _dispatched(loop)
    _case(loop, "还没派遣的")
    client.force_login(loop.users["community"])
    body = client.get(reverse("cases:queue")).content.decode()
    assert f'<option value="{loop.users["grid"].pk}">' in body
    picked = client.get(reverse("cases:queue"), {"handler": loop.users["grid"].pk})
    assert mine.code in picked.content.decode() and "还没派遣的" not in picked.content.decode()
    assert client.get(reverse("cases:queue"), {"handler": "x"}).status_code == 200  # ignored
    huge = client.get(reverse("cases:queue"), {"handler": "9" * 20})  # beyond any id: ignored
    assert huge.status_code == 200 and "还没派遣的" in huge.content.decode()
    client.force_login(loop.users["grid"])  # a handler has no one to pick
    assert 'name="handler"' not in client.get(reverse("cases:queue")).content.decode()
