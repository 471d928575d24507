"""The request loop's template tags: `{% state_badge case %}`, one colour per state, and
`{% case_row %}` / `{% case_card %}`, a queue's case as a table row and as a phone's card."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from genxi.cases.models import CaseState, state_label
from genxi.core.templatetags.genxi import pii_text

register = template.Library()

# Waiting for the office (blue), with a handler (dark, then amber while worked on), done
# (green), finished (grey); refused or merged cases are outlined, they ask nothing more.
STATE_BADGES: dict[str, str] = {
    CaseState.SUBMITTED: "text-bg-info",
    CaseState.ACCEPTED: "text-bg-primary",
    CaseState.DISPATCHED: "text-bg-dark",
    CaseState.IN_PROGRESS: "text-bg-warning",
    CaseState.RESOLVED: "text-bg-success",
    CaseState.VERIFIED: "text-bg-success",
    CaseState.CLOSED: "text-bg-secondary",
    CaseState.REJECTED: "text-bg-light border",
    CaseState.MERGED: "text-bg-light border",
}
RETURNED = "text-bg-danger"  # back with the dispatcher after a handler returned it


@register.simple_tag
def state_badge(case, element_id: str = ""):
    """The case's state as a coloured badge (`data-state` for tests and scripts); a case a
    handler sent back and waiting to be dispatched again says so: 已退回."""
    state = str(case.state)
    css = STATE_BADGES.get(state, "text-bg-secondary")
    label = state_label(state)
    if state == CaseState.ACCEPTED and case.returns:
        css, label = RETURNED, _("已退回")
    id_attr = format_html(' id="{}"', element_id) if element_id else ""
    return format_html(
        '<span class="badge {}"{} data-state="{}">{}</span>', css, id_attr, state, label
    )


# A queue's rows. A page shows 50 cases twice (a table from 576 px up, cards on a phone):
# written here with format_html, the same markup the template had, they take a tenth of
# the time Django's template engine took to render them (a street's queue at 10 M cases,
# decision 0040). Every value is escaped by format_html.


def _row_parts(case, scope) -> dict:
    overdue = case.is_overdue
    due = date_filter(localtime(case.resolve_by), "m-d H:i") if case.resolve_by else ""
    flag = (
        format_html('<span class="badge text-bg-danger">{}</span> ', _("督办"))
        if case.flagged
        else ""
    )
    return {
        "url": case.get_absolute_url(),
        "flag": flag,
        "title": pii_text(case.title, scope),
        "place": case.region.full_name,
        "badge": state_badge(case),
        "overdue": overdue,
        "due": due,
    }


@register.simple_tag
def case_row(case, scope):
    """The case as a row of the queue's table (`cases/_rows.html`)."""
    p = _row_parts(case, scope)
    late = (
        format_html(' <span class="badge text-bg-danger">{}</span>', _("超期"))
        if p["overdue"]
        else ""
    )
    return format_html(
        '<tr{}>\n  <td><a href="{}" class="font-monospace">{}</a></td>\n  <td>{}{}</td>\n'
        "  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n"
        '  <td class="text-nowrap{}">{}{}</td>\n</tr>',
        mark_safe(' class="table-warning"') if case.pinned else "",  # noqa: S308 - a constant
        p["url"],
        case.code,
        p["flag"],
        Truncator(p["title"]).chars(40),
        (case.category.label if case.category else "") or "—",
        p["place"],
        p["badge"],
        str(case.handler) if case.handler else "—",
        " text-danger" if p["overdue"] else "",
        p["due"],
        late,
    )


@register.simple_tag
def case_card(case, scope):
    """The case as a phone's card (`cases/_rows.html`)."""
    p = _row_parts(case, scope)
    handler = format_html(" · {}", str(case.handler)) if case.handler else ""
    return format_html(
        '<a class="card mb-2 text-reset text-decoration-none case-card{}" href="{}" '
        'data-code="{}"><div class="card-body py-2 px-3">\n'
        '  <div class="d-flex justify-content-between align-items-center gap-2">'
        '<span class="font-monospace small text-primary">{}</span><span>{}{}</span></div>\n'
        '  <div class="fw-bold text-truncate">{}</div>\n'
        '  <div class="small text-muted">{}{}</div>\n'
        '  <div class="small{}">{} {}{}</div>\n</div></a>',
        " border-warning" if case.pinned else "",
        p["url"],
        case.code,
        case.code,
        p["flag"],
        p["badge"],
        p["title"],
        p["place"],
        handler,
        " text-danger fw-bold" if p["overdue"] else " text-muted",
        _("办结时限"),
        p["due"],
        format_html(" · {}", _("超期")) if p["overdue"] else "",
    )
