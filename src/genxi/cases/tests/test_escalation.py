"""吹哨报到: a community sends a case up to the street, the street dispatches it to a
department as lead (主办) with a unit assisting (协办), what is sent back goes back down
the chain, and every hand-over is timed in the history and counted in the metrics."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from genxi.cases import selectors, services
from genxi.cases.models import Case, CaseAssignment, CaseEvent
from genxi.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _new(world):
    return services.case_create(
        actor=world.users["community"],
        channel="phone",
        text="彩香新村5幢底商餐馆油烟直排扰民,社区多次协调无果",
        lat=31.321,
        lon=120.591,
    )


def _act(world, who, case, action, **fields):
    return services.case_act(actor=world.users[who], case=case, action=action, **fields)


def _escalated(world):
    case = _new(world)
    _act(world, "community", case, "accept")
    return _act(world, "community", case, "escalate", reason="涉及餐饮油烟执法,社区无权处理")


def test_the_whole_chain_up_and_back_down(escalation):
    w = escalation
    case = _escalated(w)
    assert (case.state, case.level, case.handler) == ("accepted", "street", None)
    assert Notification.objects.filter(user=w.users["street"], verb="escalate").exists()
    # The community no longer dispatches it: the street does.
    with pytest.raises(PermissionDenied):
        _act(w, "community", case, "dispatch", handler=w.users["grid"])
    case = _act(
        w,
        "street",
        case,
        "dispatch",
        handler=w.users["officer"],
        assistants=[w.users["keeper"]],
        note="请市场监管所主办,物业配合",
    )
    assert case.handler == w.users["officer"] and case.level == "street"
    assist, lead = case.assignments.order_by("role")  # assist < lead
    assert (assist.role, assist.org_name, assist.person) == (
        "assist",
        "彩香物业公司",
        w.users["keeper"],
    )
    assert (lead.role, lead.org_name, lead.unit) == ("lead", "市场监管所", None)
    assert Notification.objects.filter(user=w.users["officer"], verb="dispatch").exists()
    assert Notification.objects.filter(user=w.users["keeper"], verb="assist").exists()
    # The assistant sees the case and reports its part; it may not resolve.
    assert Case.objects.visible_to(w.users["keeper"]).filter(pk=case.pk).exists()
    assert list(selectors.case_list(user=w.users["keeper"], queue="assist")) == [case]
    with pytest.raises(PermissionDenied):
        _act(w, "keeper", case, "take")  # only the lead takes and resolves
    _act(w, "keeper", case, "assist_done", note="已提供业主联系方式并陪同检查")
    assist.refresh_from_db()
    assert assist.outcome == "done" and assist.ended_at is not None
    assert list(selectors.case_list(user=w.users["keeper"], queue="assist")) == []
    # The department sends it back: to the street, not the community.
    case = _act(w, "officer", case, "return", reason="不属于本部门职责,应由城管处理")
    assert (case.state, case.level, case.handler) == ("accepted", "street", None)
    lead.refresh_from_db()
    assert lead.outcome == "returned"
    assert Notification.objects.filter(user=w.users["street"], verb="return").exists()
    # The street dispatches again; the department takes it and resolves it.
    case = _act(w, "street", case, "dispatch", handler=w.users["officer"])
    _act(w, "officer", case, "take")
    case = _act(w, "officer", case, "resolve", result="已责令安装油烟净化设备")
    assert case.state == "resolved" and case.assignments.filter(ended_at=None).count() == 0
    actions = list(case.events.values_list("action", "level"))
    assert actions == [
        ("submit", ""),
        ("accept", "community"),
        ("escalate", "community"),
        ("dispatch", "street"),
        ("assist_done", "street"),
        ("return", "street"),
        ("dispatch", "street"),
        ("take", "street"),
        ("resolve", "street"),
    ]
    handovers = CaseEvent.objects.filter(case=case, held__isnull=False)
    assert [e.action for e in handovers] == [
        "escalate",
        "dispatch",
        "return",
        "dispatch",
        "resolve",
    ]
    assert all(e.held >= timedelta() for e in handovers)
    escalated = case.events.get(action="escalate")
    assert escalated.data == {"from_level": "community", "to_level": "street"}
    assert AuditEvent.objects.filter(verb="case.escalate", target_id=str(case.pk)).exists()
    assert AuditEvent.objects.filter(verb="case.assist_done").exists()


def test_the_street_sends_back_down_to_the_community(escalation):
    w = escalation
    case = _escalated(w)
    with pytest.raises(PermissionDenied):
        _act(w, "community", case, "send_down", reason="x")
    case = _act(w, "street", case, "send_down", reason="属于小区自治事项,请社区协调")
    assert (case.state, case.level) == ("accepted", "community")
    assert Notification.objects.filter(user=w.users["community"], verb="send_down").exists()
    # Back at the community, its own staff dispatch it again (to the grid: the grid holds it).
    case = _act(w, "community", case, "dispatch", handler=w.users["grid"])
    assert case.level == "grid"
    case = _act(w, "grid", case, "escalate", reason="网格协调不了")
    assert case.level == "street"
    with pytest.raises(ValidationError) as err:
        _act(w, "street", case, "escalate", reason="再上报")
    assert "action" in err.value.message_dict


def test_the_street_dispatches_only_to_its_departments_and_units(escalation):
    w = escalation
    case = _escalated(w)
    with pytest.raises(ValidationError) as err:
        _act(w, "street", case, "dispatch", handler=w.users["grid"])
    assert "handler" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _act(
            w,
            "street",
            case,
            "dispatch",
            handler=w.users["officer"],
            assistants=[w.users["officer_b"]],
        )
    assert "assistants" in err.value.message_dict
    assert case.assignments.count() == 0
    groups = dict(selectors.handler_groups(w.users["street"], case))
    assert groups["职能部门"] == [(w.users["officer"].pk, "市场监管所")]
    assert (w.users["keeper"].pk, "物业王经理") in groups["彩香物业公司"]
    assert "虎丘城管中队" not in str(groups)


def test_a_community_dispatch_takes_no_assistants(escalation):
    w = escalation
    case = _new(w)
    _act(w, "community", case, "accept")
    with pytest.raises(ValidationError) as err:
        _act(
            w, "community", case, "dispatch", handler=w.users["grid"], assistants=[w.users["unit"]]
        )
    assert "assistants" in err.value.message_dict


def test_metrics_count_each_level_from_the_history(escalation):
    w = escalation
    own = _new(w)
    _act(w, "community", own, "accept")
    _act(w, "community", own, "dispatch", handler=w.users["grid"])
    _act(w, "grid", own, "take")
    _act(w, "grid", own, "resolve", result="已清理")
    up = _escalated(w)
    _act(w, "street", up, "dispatch", handler=w.users["officer"])
    _act(w, "officer", up, "take")
    _act(w, "officer", up, "resolve", result="已处理")
    down = _escalated(w)
    _act(w, "street", down, "send_down", reason="社区自己的事")
    m = selectors.metrics(user=w.users["street"])
    levels = {row["level"]: row for row in m["levels"]}
    assert (levels["grid"]["received"], levels["grid"]["resolved"]) == (1, 1)
    assert levels["community"]["received"] == 3
    assert (levels["community"]["resolved"], levels["community"]["passed"]) == (1, 2)
    assert levels["community"]["passed_rate"] == round(2 / 3, 4)
    assert (levels["street"]["received"], levels["street"]["resolved"]) == (2, 1)
    assert (levels["street"]["passed"], levels["street"]["own_rate"]) == (1, 0.5)
    kinds = {(h["level"], h["action"]): h["count"] for h in m["handovers"]}
    assert kinds[("community", "escalate")] == 2 and kinds[("street", "dispatch")] == 1


def test_pages_show_the_chain_and_keep_it_scoped(client, escalation):
    w = escalation
    case = _escalated(w)
    client.force_login(w.users["street"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-action="dispatch"' in page and 'data-action="send_down"' in page
    assert "市场监管所" in page and "彩香物业公司" in page
    assert "officer" not in page.split('data-action="dispatch"')[1].split("</form>")[0]  # no logins
    response = client.post(
        reverse("cases:act", args=[case.code, "dispatch"]),
        {"handler": w.users["officer"].pk, "assistants": [w.users["keeper"].pk]},
    )
    assert response.status_code == 302
    # Refused: no lead named -> the page again, the error beside the field.
    other = _escalated(w)
    response = client.post(reverse("cases:act", args=[other.code, "dispatch"]), {})
    assert response.status_code == 400
    assert 'data-error-for="handler"' in response.content.decode()
    # The assisting unit's liaison sees the case and its 协办 queue; street B's officer does not.
    client.force_login(w.users["keeper"])
    assert client.get(case.get_absolute_url()).status_code == 200
    queue = client.get(reverse("cases:queue") + "?queue=assist").content.decode()
    assert case.code in queue
    client.force_login(w.users["officer_b"])
    assert client.get(case.get_absolute_url()).status_code == 404
    # The community worker sees what it sent up, and may no longer act on it.
    client.force_login(w.users["community"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="case-level"' in page and 'data-action="transfer"' not in page
    assert case.code in client.get(reverse("cases:queue") + "?queue=escalated").content.decode()


def test_the_api_escalates_and_dispatches_with_assistants(client, escalation):
    w = escalation
    case = _new(w)
    _act(w, "community", case, "accept")
    client.force_login(w.users["community"])
    url = f"/api/v1/cases/{case.code}"
    answer = client.post(f"{url}/escalate", {}, content_type="application/json")
    assert answer.status_code == 400 and "reason" in answer.json()["errors"]
    answer = client.post(
        f"{url}/escalate", {"reason": "社区解决不了"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["level"] == "street"
    client.force_login(w.users["street"])
    answer = client.post(
        f"{url}/dispatch",
        {"handler": "officer", "assistants": ["wuye"]},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(a["role"], a["org"]) for a in body["assignments"]] == [
        ("lead", "市场监管所"),
        ("assist", "彩香物业公司"),
    ]
    answer = client.post(
        f"{url}/transfer",
        {"handler": "officer", "assistants": ["nobody"]},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert CaseAssignment.objects.filter(case=case).count() == 2


def test_queues_and_workbench_follow_the_level(client, escalation):
    """Sent up, a case leaves the community's 待派遣 and waits in the street's 上报待派遣; an
    assisting unit finds it under 协办 on its workbench; each count is its list's length."""
    w = escalation
    case = _escalated(w)
    community = selectors.case_list(user=w.users["community"], queue="dispatch")
    assert case not in community
    assert case in selectors.case_list(user=w.users["street"], queue="dispatch")
    counts = {c.key: c for c in selectors.work_counts(w.users["street"])}
    assert counts["cases.escalated"].count == 1
    _act(w, "street", case, "dispatch", handler=w.users["officer"], assistants=[w.users["keeper"]])
    assert {c.key: c.count for c in selectors.work_counts(w.users["street"])}[
        "cases.escalated"
    ] == 0
    for who in ("keeper", "officer"):
        counts = {c.key: c for c in selectors.work_counts(w.users[who])}
        client.force_login(w.users[who])
        body = client.get(counts["cases.assist"].url).content.decode()
        expected = 1 if who == "keeper" else 0
        assert counts["cases.assist"].count == expected
        assert (case.code in body) == bool(expected)
