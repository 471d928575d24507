"""The forms of the loop's pages: each step of a case has its form, and a refused step is
the case page again — 400 (403 for a step this person may not take) — with the message
beside the field, the typed input kept, and nothing written (no history, no audit event).
Intake, the public report and the resident's rating answer the same way."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.cache import cache
from django.urls import reverse

from genxi.cases import services
from genxi.cases.domain.states import TRANSITIONS
from genxi.cases.forms import ACTION_FORMS
from genxi.cases.models import Case, CaseEvent
from genxi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# How each state is reached: (who, action, fields) from the one before.
STEPS = [
    ("community", "accept", {}),
    ("community", "dispatch", {"handler": "grid"}),
    ("grid", "take", {}),
    ("grid", "resolve", {"result": "已清理楼道杂物"}),
    ("community", "verify", {}),
]
REACHED = ["submitted", "accepted", "dispatched", "in_progress", "resolved", "verified"]


def case_in(loop, state: str, text: str = "彩香新村5幢楼道里堆满了杂物") -> Case:
    case = services.case_create(actor=None, channel="phone", text=text, region=loop.grid_a1)
    for who, action, fields in STEPS[: REACHED.index(state)]:
        fields = {k: loop.users[v] if k == "handler" else v for k, v in fields.items()}
        case = services.case_act(actor=loop.users[who], case=case, action=action, **fields)
    return case


def error(field: str, message: str) -> str:
    """How the case page shows `message` beside `field` of the refused step's form."""
    return f'<div class="text-danger small" data-error-for="{field}">{message}</div>'


def written(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.state,
        case.handler_id,
        case.master_id,
        case.result,
        case.rating,
        case.pending_extension_days,
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_step_has_a_form_with_the_fields_it_requires(loop):
    assert set(ACTION_FORMS) == set(TRANSITIONS)
    case = case_in(loop, "submitted")
    for action, transition in TRANSITIONS.items():
        form = ACTION_FORMS[action](user=loop.users["street"], case=case)
        assert set(transition.required) <= set(form.fields), action


# (state, who, action, what is posted, the field the error is beside, its message, status)
REFUSALS = [
    ("in_progress", "grid", "resolve", {"result": "   "}, "result", "请填写处置结果。", 400),
    ("submitted", "community", "reject", {}, "reason", "请说明原因。", 400),
    (
        "in_progress",
        "grid",
        "request_extension",
        {"days": "40", "reason": "需要协调物业维修"},
        "days",
        "延期天数应在 1 到 30 之间。",
        400,
    ),
    (
        "in_progress",
        "grid",
        "request_extension",
        {"days": "两天", "reason": "需要协调物业维修"},
        "days",
        "输入整数。",
        400,
    ),
    ("accepted", "community", "dispatch", {}, "handler", "请选择处置人。", 400),
    ("submitted", "community", "merge", {"master": "NOSUCHCODE"}, "master", "查询码不存在。", 400),
    (
        "verified",
        "community",
        "rate",
        {"rating": "great"},
        "rating",
        "评价应为满意、基本满意或不满意。",
        400,
    ),
    # A rule of the loop, not a field: the message heads the step's form.
    ("verified", "community", "close", {}, "form", "结案前须先完成满意度回访。", 400),
    # A step this person may not take: 403, the message on the form.
    ("submitted", "grid", "accept", {}, "form", "您不能对这件诉求执行“受理”。", 403),
    ("resolved", "grid", "verify", {}, "form", "您不能对这件诉求执行“核查通过”。", 403),
]


@pytest.mark.parametrize(
    "state,who,action,data,field,message,status",
    REFUSALS,
    ids=[f"{r[2]}-{r[4]}-{r[6]}" for r in REFUSALS],
)
def test_a_refused_step_is_the_page_again_with_the_error_beside_the_field(
    client, loop, state, who, action, data, field, message, status
):
    case = case_in(loop, state)
    client.force_login(loop.users[who])
    before = written(case)
    response = client.post(reverse("cases:act", args=[case.code, action]), data)
    assert response.status_code == status
    body = response.content.decode()
    assert error(field, message) in body or (
        f'data-error-for="{field}">{message}</div>' in body  # above the actions
    )
    assert not list(response.context["messages"])  # no flash message
    assert written(case) == before


def test_the_refused_form_keeps_what_was_typed(client, loop):
    case = case_in(loop, "in_progress")
    client.force_login(loop.users["grid"])
    url = reverse("cases:act", args=[case.code, "request_extension"])
    response = client.post(url, {"days": "45", "reason": "需要协调物业维修"})
    assert response.status_code == 400
    form = response.context["actions"][
        [a for a, _, _ in response.context["actions"]].index("request_extension")
    ][2]
    assert form.errors["days"] and form["reason"].value() == "需要协调物业维修"
    assert 'value="需要协调物业维修"' in response.content.decode()


def test_a_handler_or_master_out_of_scope_is_an_invalid_choice(client, loop):
    """Named in a form field, a person or case the user may not see answers as one that
    does not exist: 400 beside the field, not 404 (decision 0016)."""
    elsewhere = case_in(loop, "submitted", text="观景新村的路灯坏了很多天")
    elsewhere.region = loop.grid_b1
    elsewhere.save(update_fields=["region"])
    case = case_in(loop, "accepted")
    submitted = case_in(loop, "submitted", text="彩香新村6幢门口的地砖翘起来了")
    client.force_login(loop.users["community"])
    before = written(case)
    outsider = loop.users["outsider"]
    response = client.post(
        reverse("cases:act", args=[case.code, "dispatch"]), {"handler": outsider.pk}
    )
    assert response.status_code == 400
    assert error("handler", "请选择一位有效的处置人。") in response.content.decode()
    response = client.post(
        reverse("cases:act", args=[submitted.code, "merge"]), {"master": elsewhere.code.lower()}
    )
    assert response.status_code == 400
    assert error("master", "查询码不存在。") in response.content.decode()
    response = client.post(
        reverse("cases:act", args=[submitted.code, "merge"]), {"master": submitted.code}
    )
    assert error("master", "只能合并到另一件未结的诉求。") in response.content.decode()
    assert written(case) == before


def test_a_step_taken_meanwhile_is_refused_above_the_actions(client, loop):
    """Two dispatchers on one case: the second one's accept finds it accepted already."""
    case = case_in(loop, "submitted")
    services.case_act(actor=loop.users["street"], case=case, action="accept")
    client.force_login(loop.users["community"])
    before = written(case)
    response = client.post(reverse("cases:act", args=[case.code, "accept"]))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="refused"' in body and "当前状态下不能“受理”。" in body
    assert 'data-action="dispatch"' in body  # the page as it is now
    assert written(case) == before


def test_a_good_step_still_redirects_with_a_success_message(client, loop):
    case = case_in(loop, "in_progress")
    client.force_login(loop.users["grid"])
    response = client.post(
        reverse("cases:act", args=[case.code, "resolve"]),
        {"result": "已清理楼道杂物", "lat": "inf", "lon": "120.59"},
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    case.refresh_from_db()
    assert case.state == "resolved" and case.result == "已清理楼道杂物"
    # The bad position is dropped, not refused.
    assert CaseEvent.objects.filter(case=case, action="resolve").get().data == {}
    assert '<div class="alert alert-success">已办结。</div>' in response.content.decode()


def test_an_unknown_step_is_not_found_and_get_is_not_allowed(client, loop):
    case = case_in(loop, "submitted")
    client.force_login(loop.users["community"])
    assert client.post(reverse("cases:act", args=[case.code, "explode"])).status_code == 404
    assert client.get(reverse("cases:act", args=[case.code, "accept"])).status_code == 405


def test_messages_are_bootstrap_alerts():
    """Django's "error" level has no Bootstrap class: MESSAGE_TAGS maps it to danger."""
    assert Message(messages.ERROR, "x").tags == "danger"
    assert Message(messages.SUCCESS, "x").tags == "success"
    assert Message(messages.WARNING, "x").tags == "warning"
    assert Message(messages.INFO, "x").tags == "info"


def test_intake_refusal_keeps_the_input_and_writes_nothing(client, loop):
    client.force_login(loop.users["community"])
    cases, events = Case.objects.count(), AuditEvent.objects.count()  # after the login's
    response = client.post(
        reverse("cases:new"),
        {"text": "短", "urgency": "normal", "channel": "walk_in", "reporter_name": "王阿姨"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-error-for="text"' in body and 'value="王阿姨"' in body
    assert '<option value="walk_in" selected>' in body
    response = client.post(
        reverse("cases:new"), {"text": "三元一村路口的路灯坏了", "urgency": "soon", "channel": "x"}
    )
    assert response.status_code == 400
    assert 'data-error-for="urgency"' in response.content.decode()
    assert 'data-error-for="channel"' in response.content.decode()
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)


def test_the_residents_rating_refused_beside_the_key(client, loop):
    cache.clear()
    case = case_in(loop, "verified")
    before = written(case)
    url = reverse("public:track_case", args=[case.code])
    response = client.post(url, {"rating": "satisfied", "key": "not-the-secret"})
    assert response.status_code == 403
    assert error("key", "评价码不正确。") in response.content.decode()
    response = client.post(url, {"rating": "", "key": "not-the-secret", "comment": "还行"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-error-for="rating"' in body and 'value="还行"' in body
    assert written(case) == before
