"""Pages of joint meetings: the list, scheduling, the meeting with its opinions, agenda,
minutes, attendance and resolutions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.roles import STAFF_ROLES, Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.regions.models import Level, Region

from .. import selectors, services
from ..domain.steps import meeting_allows, meeting_started, meeting_steps
from ..forms import (
    AgendaForm,
    InviteForm,
    MeetingForm,
    OpinionForm,
    ReasonForm,
    RecordForm,
    ResolutionForm,
)
from ..models import ActionKind, Kind, Meeting, MeetingStatus


def _meetings_page(request, *, meeting_form=None):
    require_perm(request.user, Perm.VIEW_DATA)
    status = request.GET.get("status", "").strip()
    page, query = paginate(request, selectors.meeting_list(user=request.user, status=status))
    hosts = []
    if scope_for(request.user).roles & STAFF_ROLES:
        hosts = (
            Region.objects.visible_to(request.user)
            .filter(level__in=[Level.STREET, Level.COMMUNITY])
            .order_by("code")
        )
    return render(
        request,
        "cobuild/meetings.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": MeetingStatus.choices,
            "hosts": hosts,
            "open_items": selectors.unfinished_items(user=request.user)[:20],
            "today": timezone.localdate(),
            "meeting_form": meeting_form,
        },
        status=meeting_form.status if meeting_form else 200,
    )


@login_required
def meetings(request):
    return _meetings_page(request)


@login_required
@require_POST
def meeting_new(request):
    form = MeetingForm(request.POST, user=request.user)
    meeting = submit(
        form,
        lambda d: services.meeting_create(
            actor=request.user,
            host=d["host"],
            title=d["title"],
            starts_at=d["starts_at"],
            place=d["place"],
            units=list(selectors.units_paired_under(user=request.user, region=d["host"])),
            agenda=d["agenda"],
        ),
    )
    if meeting is None:
        return _meetings_page(request, meeting_form=form)
    messages.success(request, _("联席会已安排,已邀请结对的共建单位。"))
    return redirect("cobuild:meeting", pk=meeting.pk)


# The steps of a meeting (cobuild.domain.steps.meeting_steps), as the page names them.
STEP_LABELS = {
    "prepare": gettext_lazy("筹备"),
    "convene": gettext_lazy("召开"),
    "record": gettext_lazy("纪要与签到"),
    "resolve": gettext_lazy("决议"),
    "follow": gettext_lazy("落实"),
}


def _meeting_page(request, meeting: Meeting, *, status=200, **forms):
    is_staff = scope_for(request.user).role_covers(STAFF_ROLES, meeting.host.path)
    started = meeting_started(meeting.starts_at, timezone.now())
    resolutions = list(
        meeting.resolutions.select_related("owner", "community", "need", "project", "case")
    )
    steps = meeting_steps(
        meeting.status,
        started,
        resolutions=len(resolutions),
        unfinished=sum(1 for r in resolutions if not r.finished),
    )
    # The buttons of the steps the staff may take now; the same rule as the services.
    allowed = {str(a) for a in meeting_allows(meeting.status, started)} if is_staff else set()
    return render(
        request,
        "cobuild/meeting_detail.html",
        {
            "meeting": meeting,
            "is_staff": is_staff,
            "invitees": selectors.meeting_invitees(user=request.user, meeting=meeting),
            "opinions": selectors.meeting_opinions(user=request.user, meeting=meeting),
            "agenda": meeting.agenda.select_related("carried"),
            "resolutions": resolutions,
            "started": started,
            "allowed": allowed,
            "steps": [(STEP_LABELS[step.key], step.key, str(step.mark)) for step in steps],
            "cases": selectors.meeting_cases(user=request.user, meeting=meeting)
            if is_staff
            else [],
            "staff": selectors.staff_over(meeting.host) if is_staff else [],
            "communities": meeting.host.children.order_by("code")
            if meeting.host.level == Level.STREET
            else [meeting.host],
            "kinds": ActionKind.choices,
            "need_kinds": Kind.choices,
            "residents": selectors.residents_under(user=request.user, region=meeting.host)
            if is_staff
            else [],
            **forms,
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = get_visible_or_404(Meeting.objects.select_related("host"), request.user, pk=pk)
    return _meeting_page(request, meeting)


def _opinion(request, meeting):
    form = OpinionForm(request.POST, user=request.user)
    return form, lambda d: services.opinion_add(
        actor=request.user, meeting=meeting, case=d["case"], note=d["note"]
    )


def _agenda(request, meeting):
    form = AgendaForm(request.POST)
    return form, lambda d: services.agenda_add(
        actor=request.user, meeting=meeting, title=d["title"]
    )


def _cancel(request, meeting):
    form = ReasonForm(request.POST)
    return form, lambda d: services.meeting_cancel(
        actor=request.user, meeting=meeting, reason=d["reason"]
    )


def _invite(request, meeting):
    form = InviteForm(request.POST, user=request.user)
    return form, lambda d: services.meeting_invite(
        actor=request.user, meeting=meeting, resident=d["resident"]
    )


def _record(request, meeting):
    form = RecordForm(request.POST, meeting=meeting)
    return form, lambda d: services.meeting_record(
        actor=request.user, meeting=meeting, minutes=d["minutes"], attended=d["attended"]
    )


def _resolution(request, meeting):
    form = ResolutionForm(request.POST, user=request.user, meeting=meeting)
    return form, lambda d: services.resolution_add(
        actor=request.user,
        meeting=meeting,
        text=d["text"],
        kind=d["kind"],
        owner=d["owner"],
        deadline=d["deadline"],
        community=d["community"],
        need_kind=d["need_kind"],
        quantity=d["quantity"],
        unit_label=d["unit_label"].strip(),
        budget=d["budget"],
    )


# action → (the form and the service call, the name the page knows the form by)
_ACTIONS = {
    "opinion": (_opinion, "opinion_form"),
    "agenda": (_agenda, "agenda_form"),
    "cancel": (_cancel, "cancel_form"),
    "invite": (_invite, "invite_form"),
    "record": (_record, "record_form"),
    "resolution": (_resolution, "resolution_form"),
}


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    meeting = get_visible_or_404(Meeting.objects.select_related("host"), request.user, pk=pk)
    if action not in _ACTIONS:
        return redirect("cobuild:meeting", pk=pk)
    build, name = _ACTIONS[action]
    form, call = build(request, meeting)
    if submit(form, call) is None:
        meeting.refresh_from_db()
        return _meeting_page(request, meeting, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("cobuild:meeting", pk=pk)
