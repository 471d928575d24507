"""The pages of party members' life: thin — a form in, a service call, a redirect or the
page again with the refusal on its field (status 400/403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.scope import get_visible_or_404

from . import forms, selectors, services
from .models import AttendanceStatus, SessionKind, StudyReflection


def _require_manage(request: HttpRequest, org: Any) -> None:
    if not selectors.can_manage(request.user, org):
        raise PermissionDenied(_("只有本党组织所在社区或街道的工作人员可以这样做。"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rows = selectors.rollups(request.user)
    return render(request, "partylife/home.html", {"rows": rows})


def _org_page(request: HttpRequest, org: Any, status: int = 200, **given: Any) -> HttpResponse:
    members = selectors.members(org=org)
    manage = selectors.can_manage(request.user, org)
    minutes = selectors.member_hours(org=org)
    rows = list(members)
    for m in rows:
        m.study_hours = round(minutes.get(m.pk, 0) / 60, 1)  # type: ignore[attr-defined]
    context = {
        "org": org,
        "figures": selectors.org_rollup(user=request.user, org=org),
        "members": rows,
        "plans": selectors.plans(user=request.user, org=org),
        "contact_days": selectors.contact_days(user=request.user, org=org)[:20],
        "reflections": selectors.reflections(user=request.user, org=org)[:30],
        "manage": manage,
        "plan_form": given.get("plan_form") or forms.PlanForm(),
        "study_form": given.get("study_form") or forms.StudyForm(members=members),
        "contact_form": given.get("contact_form")
        or forms.ContactDayForm(org=org, user=request.user, members=members),
    }
    return render(request, "partylife/org.html", context, status=status)


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _org_page(request, selectors.org_detail(user=request.user, pk=pk))


@login_required
@require_POST
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    form = forms.PlanForm(request.POST)
    plan = submit(
        form,
        lambda d: services.plan_create(
            actor=request.user, org=org, year=d["year"], title=d["title"], note=d["note"]
        ),
    )
    if plan is None:
        return _org_page(request, org, status=form.status, plan_form=form)
    messages.success(request, _("冬训计划已建立。"))
    return redirect(plan)


@login_required
@require_POST
def study_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    form = forms.StudyForm(request.POST, members=selectors.members(org=org))
    entry = submit(
        form,
        lambda d: services.study_entry_create(
            actor=request.user,
            member=d["member"],
            day=d["day"],
            minutes=d["minutes"],
            note=d["note"],
        ),
    )
    if entry is None:
        return _org_page(request, org, status=form.status, study_form=form)
    messages.success(request, _("自学记录已登记。"))
    return redirect("partylife:org", pk=org.pk)


@login_required
@require_POST
def contact_day_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    members = selectors.members(org=org)
    form = forms.ContactDayForm(request.POST, org=org, user=request.user, members=members)
    day = submit(
        form,
        lambda d: services.contact_day_create(
            actor=request.user,
            org=org,
            community=d["community"],
            member=d["member"],
            day=d["day"],
            place=d["place"],
        ),
    )
    if day is None:
        return _org_page(request, org, status=form.status, contact_form=form)
    messages.success(request, _("联系日已安排。"))
    return redirect(day)


def _plan_page(
    request: HttpRequest, plan: Any, status: int = 200, form: Any = None
) -> HttpResponse:
    return render(
        request,
        "partylife/plan.html",
        {
            "plan": plan,
            "sessions": selectors.sessions(plan=plan),
            "manage": selectors.can_manage(request.user, plan.org),
            "form": form or forms.SessionForm(),
        },
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.plan_detail(user=request.user, pk=pk))


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST)
    session = submit(
        form,
        lambda d: services.session_create(
            actor=request.user,
            plan=plan,
            topic=d["topic"],
            kind=d["kind"],
            starts_at=d["starts_at"],
            minutes=d["minutes"],
            place=d["place"],
            materials=d["materials"],
        ),
    )
    if session is None:
        return _plan_page(request, plan, status=form.status, form=form)
    messages.success(request, _("课程已安排。"))
    return redirect(session)


def _session_page(
    request: HttpRequest, session: Any, status: int = 200, **given: Any
) -> HttpResponse:
    org = session.plan.org
    members = list(selectors.members(org=org))
    marks = selectors.attendance_marks(session=session)
    context = {
        "session": session,
        "org": org,
        "manage": selectors.can_manage(request.user, org),
        "marks": marks,
        "present": sum(1 for s in marks.values() if s == AttendanceStatus.PRESENT),
        "is_practice": session.kind == SessionKind.PRACTICE,
        "links": session.practice_links.all(),
        "books": session.books.select_related("station"),
        "loans": selectors.session_loans(user=request.user, session=session),
        "reflections": selectors.reflections(user=request.user, session=session),
        "attendance_form": given.get("attendance_form")
        or forms.AttendanceForm(members=members, marks=marks),
        "practice_form": given.get("practice_form") or forms.PracticeForm(),
        "books_form": given.get("books_form")
        or forms.BooksForm(user=request.user, session=session),
        "reflection_form": given.get("reflection_form")
        or forms.ReflectionForm(members=selectors.members(org=org)),
    }
    return render(request, "partylife/session.html", context, status=status)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_detail(user=request.user, pk=pk))


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(user=request.user, pk=pk)
    members = list(selectors.members(org=session.plan.org))
    form = forms.AttendanceForm(request.POST, members=members)
    done = submit(
        form,
        lambda d: services.attendance_record(
            actor=request.user, session=session, marks=form.marks()
        ),
    )
    if done is None:
        return _session_page(request, session, status=form.status, attendance_form=form)
    messages.success(request, _("考勤已登记。"))
    return redirect(session)


@login_required
@require_POST
def practice(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(user=request.user, pk=pk)
    form = forms.PracticeForm(request.POST)
    link = submit(
        form,
        lambda d: services.practice_link(
            actor=request.user, session=session, kind=d["kind"], pk=d["target"]
        ),
    )
    if link is None:
        return _session_page(request, session, status=form.status, practice_form=form)
    messages.success(request, _("已关联实践成果。"))
    return redirect(session)


@login_required
@require_POST
def books(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(user=request.user, pk=pk)
    _require_manage(request, session.plan.org)
    form = forms.BooksForm(request.POST, user=request.user, session=session)
    done = submit(
        form,
        lambda d: services.session_books(actor=request.user, session=session, books=d["books"]),
    )
    if done is None:
        return _session_page(request, session, status=form.status, books_form=form)
    messages.success(request, _("已关联驿站图书。"))
    return redirect(session)


@login_required
@require_POST
def reflection_new(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_detail(user=request.user, pk=pk)
    form = forms.ReflectionForm(request.POST, members=selectors.members(org=session.plan.org))
    reflection = submit(
        form,
        lambda d: services.reflection_create(
            actor=request.user, member=d["member"], text=d["text"], session=session
        ),
    )
    if reflection is None:
        return _session_page(request, session, status=form.status, reflection_form=form)
    messages.success(request, _("学习感悟已提交,审核后展示。"))
    return redirect(session)


@login_required
@require_POST
def reflection_act(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_visible_or_404(
        StudyReflection.objects.select_related("member__org__region", "session"),
        request.user,
        pk=pk,
    )
    form = forms.ModerateForm(request.POST)
    done = submit(
        form,
        lambda d: services.reflection_moderate(
            actor=request.user, reflection=reflection, approve=d["approve"]
        ),
    )
    if done is None:
        if form.status == 403:
            raise PermissionDenied(_("只有本党组织所在社区或街道的工作人员可以这样做。"))
        return _org_page(request, reflection.member.org, status=form.status)
    return redirect("partylife:org", pk=reflection.member.org_id)


def _day_page(request: HttpRequest, day: Any, status: int = 200, form: Any = None) -> HttpResponse:
    return render(
        request,
        "partylife/contact_day.html",
        {
            "day": day,
            "notes": day.notes.select_related("case", "created_by"),
            "form": form or forms.ContactNoteForm(),
        },
        status=status,
    )


@login_required
def contact_day(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_page(request, selectors.contact_day_detail(user=request.user, pk=pk))


@login_required
@require_POST
def contact_note(request: HttpRequest, pk: int) -> HttpResponse:
    day = selectors.contact_day_detail(user=request.user, pk=pk)
    form = forms.ContactNoteForm(request.POST)
    note = submit(
        form,
        lambda d: services.contact_note_create(
            actor=request.user, day=day, text=d["text"], to_case=d["to_case"]
        ),
    )
    if note is None:
        return _day_page(request, day, status=form.status, form=form)
    messages.success(request, _("民情已记录。"))
    return redirect(day)
