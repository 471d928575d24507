"""The request loop's template tags: `{% state_badge case %}`, one colour per state."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from genxi.cases.models import CaseState, state_label

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
