"""Pages of joint meetings: the list, scheduling, the meeting with its opinions, agenda,
minutes, attendance and resolutions."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.cases.models import Case
from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.people.models import Resident
from genxi.regions.models import Level, Region

from . import selectors, services
from .models import ActionKind, Kind, Meeting, MeetingStatus
from .views import _int, _moment, _parsed, _report


@login_required
def meetings(request):
    require_perm(request.user, Perm.VIEW_DATA)
    status = request.GET.get("status", "").strip()
    page, query = paginate(request, selectors.meeting_list(user=request.user, status=status))
    hosts = []
    if scope_for(request.user).roles & services.STAFF:
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
        },
    )


@login_required
@require_POST
def meeting_new(request):
    host = get_visible_or_404(
        Region.objects.filter(level__in=[Level.STREET, Level.COMMUNITY]),
        request.user,
        pk=request.POST.get("host"),
    )
    try:
        meeting = services.meeting_create(
            actor=request.user,
            host=host,
            title=request.POST.get("title", ""),
            starts_at=_moment(request.POST.get("starts_at", ""), "starts_at"),
            place=request.POST.get("place", ""),
            units=list(selectors.units_paired_under(user=request.user, region=host)),
            agenda=request.POST.get("agenda", "").splitlines(),
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
        return redirect("cobuild:meetings")
    messages.success(request, _("联席会已安排,已邀请结对的共建单位。"))
    return redirect("cobuild:meeting", pk=meeting.pk)


@login_required
def meeting_detail(request, pk: int):
    meeting = get_visible_or_404(Meeting.objects.select_related("host"), request.user, pk=pk)
    is_staff = scope_for(request.user).role_covers(services.STAFF, meeting.host.path)
    return render(
        request,
        "cobuild/meeting_detail.html",
        {
            "meeting": meeting,
            "is_staff": is_staff,
            "invitees": meeting.invitees.select_related("unit", "resident").order_by("id"),
            "opinions": selectors.meeting_opinions(user=request.user, meeting=meeting),
            "agenda": meeting.agenda.select_related("carried"),
            "resolutions": meeting.resolutions.select_related(
                "owner", "community", "need", "project", "case"
            ),
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
        },
    )


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    meeting = get_visible_or_404(Meeting.objects.select_related("host"), request.user, pk=pk)
    post = request.POST
    try:
        if action == "opinion":
            case = None
            if post.get("case"):
                case = get_visible_or_404(Case.objects.all(), request.user, code=post["case"])
            services.opinion_add(
                actor=request.user, meeting=meeting, case=case, note=post.get("note", "")
            )
        elif action == "agenda":
            services.agenda_add(actor=request.user, meeting=meeting, title=post.get("title", ""))
        elif action == "cancel":
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=post.get("reason", "")
            )
        elif action == "invite":
            resident = get_visible_or_404(
                Resident.objects.all(), request.user, pk=post.get("resident")
            )
            services.meeting_invite(actor=request.user, meeting=meeting, resident=resident)
        elif action == "record":
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                minutes=post.get("minutes", ""),
                attended={_int(v) for v in post.getlist("attended")},
            )
        elif action == "resolution":
            owner = selectors.staff_over(meeting.host).filter(pk=_int(post.get("owner"))).first()
            community = None
            if post.get("community"):
                community = get_visible_or_404(
                    Region.objects.all(), request.user, pk=post["community"]
                )
            services.resolution_add(
                actor=request.user,
                meeting=meeting,
                text=post.get("text", ""),
                kind=post.get("kind", ""),
                owner=owner,
                deadline=_parsed(post.get("deadline", ""), date, "deadline"),
                community=community,
                need_kind=post.get("need_kind", ""),
                quantity=_int(post.get("quantity")),
                unit_label=post.get("unit_label", "").strip(),
                budget=_int(post.get("budget")),
            )
        else:
            return redirect("cobuild:meeting", pk=pk)
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("cobuild:meeting", pk=pk)
