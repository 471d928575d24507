"""The organisation office's pages: cadres and their records, training programmes, the
assessment scheme and rounds. Everyone else gets 404 — except a cadre, who sees his own
record (`mine`). Every view of a record (and of a certificate) is audited."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import ConfirmForm, submit
from genxi.core.pagination import paginate
from genxi.core.scope import get_visible_or_404

from . import selectors, services
from .forms import (
    AttendanceForm,
    CadreForm,
    CertificateForm,
    CommendationForm,
    CourseForm,
    PostForm,
    PostingForm,
    ProgrammeForm,
    RoundForm,
    SchemeForm,
    ScoresForm,
)
from .models import AssessmentRound, Cadre, Certificate, Course, Programme, RoundStatus, Scheme


def _office(request) -> None:
    """Only the organisation office reaches its lists: to anyone else they do not exist."""
    if not selectors.is_office(request.user):
        raise Http404


def _cadre(request, pk: int) -> Cadre:
    return get_visible_or_404(
        Cadre.objects.select_related("unit", "unit__parent", "user"), request.user, pk=pk
    )


def _office_over(request, cadre: Cadre) -> None:
    if not services.is_office_over(request.user, cadre.unit):
        raise PermissionDenied(_("只有本街道的组织人事部门可以这样做。"))


@login_required
def cadres(request):
    _office(request)
    filters = {k: request.GET.get(k, "").strip() for k in ("unit", "q", "active")}
    page, query = paginate(request, selectors.cadre_list(user=request.user, **filters))
    return render(
        request,
        "cadres/cadres.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "units": selectors.office_units(request.user),
        },
    )


def _cadre_form_page(request, form: CadreForm, status: int = 200):
    return render(request, "cadres/cadre_form.html", {"form": form}, status=status)


@login_required
def cadre_new(request):
    _office(request)
    if request.method != "POST":
        return _cadre_form_page(request, CadreForm(user=request.user))
    form = CadreForm(request.POST, user=request.user)
    cadre = submit(
        form,
        lambda d: services.cadre_create(
            actor=request.user,
            unit=d["unit"],
            name=d["name"],
            gender=d["gender"],
            birth_year=d["birth_year"],
            phone=d["phone"],
            post=d["post"],
            starts=d["starts"],
            user=d["user"],
        ),
    )
    if cadre is None:
        return _cadre_form_page(request, form, form.status)
    messages.success(request, _("干部已登记。"))
    return redirect("cadres:cadre", pk=cadre.pk)


@login_required
def cadre_edit(request, pk: int):
    cadre = _cadre(request, pk)
    _office_over(request, cadre)
    if request.method != "POST":
        return _cadre_form_page(request, CadreForm(user=request.user, cadre=cadre))
    form = CadreForm(request.POST, user=request.user, cadre=cadre)
    done = submit(
        form,
        lambda d: services.cadre_update(
            actor=request.user,
            cadre=cadre,
            name=d["name"],
            gender=d["gender"],
            birth_year=d["birth_year"],
            phone=d["phone"],
            user=d["user"],
            active=d["active"],
        ),
    )
    if done is None:
        return _cadre_form_page(request, form, form.status)
    messages.success(request, _("已保存。"))
    return redirect("cadres:cadre", pk=cadre.pk)


@login_required
def mine(request):
    """The signed-in cadre's own record."""
    cadre = Cadre.objects.filter(user=request.user).first()
    if cadre is None:
        raise Http404
    return redirect("cadres:cadre", pk=cadre.pk)


def cadre_page(request, cadre: Cadre, *, status: int = 200, **forms):
    user = request.user
    office = services.is_office_over(user, cadre.unit)
    if status == 200:
        services.cadre_viewed(actor=user, cadre=cadre)
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "record": selectors.cadre_record(cadre),
            "office": office,
            "post_form": forms.get("post_form") or (PostForm(user=user) if office else None),
            "posting_form": forms.get("posting_form")
            or (PostingForm(user=user) if office else None),
            "commendation_form": forms.get("commendation_form")
            or (CommendationForm() if office else None),
        },
        status=status,
    )


@login_required
def cadre_detail(request, pk: int):
    return cadre_page(request, _cadre(request, pk))


@login_required
@require_POST
def cadre_act(request, pk: int, action: str):
    cadre = _cadre(request, pk)
    _office_over(request, cadre)  # the cadre himself reads his record, the office writes it
    user = request.user
    form: PostForm | PostingForm | CommendationForm
    if action == "post":
        form = PostForm(request.POST, user=user)
        done = submit(
            form,
            lambda d: services.cadre_post_change(
                actor=user, cadre=cadre, post=d["post"], unit=d["unit"], starts=d["starts"]
            ),
        )
        name = "post_form"
    elif action == "posting":
        form = PostingForm(request.POST, user=user)
        done = submit(
            form,
            lambda d: services.posting_add(
                actor=user,
                cadre=cadre,
                kind=d["kind"],
                place=d["place"],
                project=d["project"],
                case=d["case"],
                starts=d["starts"],
                ends=d["ends"],
                role=d["role"],
                achievements=d["achievements"],
            ),
        )
        name = "posting_form"
    elif action == "commendation":
        form = CommendationForm(request.POST)
        done = submit(
            form,
            lambda d: services.commendation_add(
                actor=user,
                cadre=cadre,
                title=d["title"],
                level=d["level"],
                awarded_on=d["awarded_on"],
                issuer=d["issuer"],
            ),
        )
        name = "commendation_form"
    else:
        raise Http404
    if done is None:
        return cadre_page(request, cadre, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("cadres:cadre", pk=cadre.pk)


@login_required
def certificate_file(request, pk: int):
    """A certificate's file, to the office and to the cadre himself; audited."""
    certificate = get_visible_or_404(
        Certificate.objects.select_related("cadre"), request.user, pk=pk
    )
    try:
        handle = certificate.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    services.cadre_viewed(actor=request.user, cadre=certificate.cadre, what="certificate")
    kind = mimetypes.guess_type(certificate.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response.no_store = True  # type: ignore[attr-defined]  # core.middleware.NoStoreMiddleware
    return response


# Training ----------------------------------------------------------------------------------------


@login_required
def programmes(request):
    _office(request)
    page, query = paginate(request, selectors.programme_list(user=request.user))
    return render(request, "cadres/programmes.html", {"page": page, "query": query})


@login_required
def programme_new(request):
    _office(request)
    if request.method != "POST":
        form = ProgrammeForm(user=request.user)
        return render(request, "cadres/programme_form.html", {"form": form})
    form = ProgrammeForm(request.POST, user=request.user)
    programme = submit(
        form,
        lambda d: services.programme_create(
            actor=request.user,
            street=d["street"],
            title=d["title"],
            organiser=d["organiser"],
            starts=d["starts"],
            ends=d["ends"],
            description=d["description"],
        ),
    )
    if programme is None:
        return render(request, "cadres/programme_form.html", {"form": form}, status=form.status)
    messages.success(request, _("培训项目已建立。"))
    return redirect("cadres:programme", pk=programme.pk)


def _programme(request, pk: int) -> Programme:
    return get_visible_or_404(Programme.objects.select_related("street"), request.user, pk=pk)


def programme_page(request, programme: Programme, *, status: int = 200, **forms):
    street = programme.street
    courses = selectors.programme_courses(programme)
    people = list(selectors.street_cadres(street))  # one list for every course's boxes
    return render(
        request,
        "cadres/programme_detail.html",
        {
            "programme": programme,
            "courses": [
                (
                    c,
                    forms.get(f"attendance_{c.pk}")
                    or AttendanceForm(street=street, course=c, people=people),
                )
                for c in courses
            ],
            "course_form": forms.get("course_form") or CourseForm(),
            "certificate_form": forms.get("certificate_form")
            or CertificateForm(street=street, people=people),
            "certificates": programme.certificates.select_related("cadre"),
        },
        status=status,
    )


@login_required
def programme_detail(request, pk: int):
    return programme_page(request, _programme(request, pk))


@login_required
@require_POST
def programme_act(request, pk: int, action: str):
    programme = _programme(request, pk)
    user = request.user
    form: CourseForm | AttendanceForm | CertificateForm
    if action == "course":
        form = CourseForm(request.POST)
        done = submit(
            form,
            lambda d: services.course_add(
                actor=user,
                programme=programme,
                title=d["title"],
                day=d["day"],
                hours=d["hours"],
                teacher=d["teacher"],
            ),
        )
        name = "course_form"
    elif action == "attendance":
        course = get_visible_or_404(
            Course.objects.all(), user, pk=request.POST.get("course"), programme=programme
        )
        form = AttendanceForm(request.POST, street=programme.street)
        done = submit(
            form,
            lambda d: services.attendance_set(actor=user, course=course, cadres=list(d["cadres"])),
        )
        name = f"attendance_{course.pk}"
    elif action == "certificate":
        form = CertificateForm(request.POST, request.FILES, street=programme.street)
        done = submit(
            form,
            lambda d: services.certificate_add(
                actor=user,
                programme=programme,
                cadre=d["cadre"],
                title=d["title"],
                issued_on=d["issued_on"],
                file=d["file"],
            ),
        )
        name = "certificate_form"
    else:
        raise Http404
    if done is None:
        return programme_page(request, programme, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("cadres:programme", pk=programme.pk)


# The assessment --------------------------------------------------------------------------------


@login_required
def scheme(request):
    """The street's assessment scheme (its default until first saved), and its edit."""
    _office(request)
    streets = selectors.office_streets(request.user)
    code = request.GET.get("street", "")
    street = streets.filter(code=code).first() if code else streets.first()
    if street is None:  # another street's scheme does not exist for this office
        raise Http404
    saved = Scheme.objects.filter(street=street).first()
    current = services.scheme_of(street)
    name = saved.name if saved else _("“1+3+2”综合考核方案")
    if request.method != "POST":
        form = SchemeForm(scheme=current, name=name)
        return _scheme_page(request, street, saved, form)
    form = SchemeForm(request.POST, scheme=current, name=name)
    done = submit(
        form,
        lambda d: services.scheme_update(
            actor=request.user,
            street=street,
            name=d["name"],
            dimensions=form.dimensions(),
            scorers=form.scorers(),
        ),
    )
    if done is None:
        return _scheme_page(request, street, saved, form, status=form.status)
    messages.success(request, _("考核方案已保存为第 %(v)d 版。") % {"v": done.version})
    return redirect(f"{request.path}?street={street.code}")


def _scheme_page(request, street, saved, form, status: int = 200):
    return render(
        request,
        "cadres/scheme.html",
        {
            "street": street,
            "saved": saved,
            "form": form,
            "streets": selectors.office_streets(request.user),
        },
        status=status,
    )


@login_required
def rounds(request):
    _office(request)
    status = request.GET.get("status", "")
    qs = selectors.round_list(user=request.user)
    if status in RoundStatus.values:
        qs = qs.filter(status=status)
    page, query = paginate(request, qs)
    return render(
        request,
        "cadres/rounds.html",
        {"page": page, "query": query, "status": status, "statuses": RoundStatus.choices},
    )


@login_required
def round_new(request):
    _office(request)
    if request.method != "POST":
        return render(request, "cadres/round_form.html", {"form": RoundForm(user=request.user)})
    form = RoundForm(request.POST, user=request.user)
    made = submit(
        form,
        lambda d: services.round_plan(
            actor=request.user,
            street=d["street"],
            title=d["title"],
            period=d["period"],
            cadres=list(d["cadres"]),
        ),
    )
    if made is None:
        return render(request, "cadres/round_form.html", {"form": form}, status=form.status)
    messages.success(request, _("考核已计划。"))
    return redirect("cadres:round", pk=made.pk)


def _round(request, pk: int) -> AssessmentRound:
    return get_visible_or_404(AssessmentRound.objects.select_related("street"), request.user, pk=pk)


def round_page(request, round_: AssessmentRound, *, status: int = 200, refusal=None):
    scheme_now, rows, needed = selectors.round_sheet(round_)
    return render(
        request,
        "cadres/round_detail.html",
        {
            "round": round_,
            "scheme": scheme_now,
            "rows": rows,
            "needed": needed,
            "ranking": selectors.ranking(round_) if round_.status == RoundStatus.CLOSED else None,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def round_detail(request, pk: int):
    return round_page(request, _round(request, pk))


@login_required
@require_POST
def round_act(request, pk: int, action: str):
    round_ = _round(request, pk)
    calls = {"open": services.round_open, "close": services.round_close}
    if action not in calls:
        raise Http404
    form = ConfirmForm(request.POST)
    done = submit(form, lambda d: calls[action](actor=request.user, round_=round_))
    if done is None:
        return round_page(request, round_, status=form.status, refusal=form)
    messages.success(
        request, _("已开始评分。") if action == "open" else _("考核已结束,排名已发布。")
    )
    return redirect("cadres:round", pk=round_.pk)


@login_required
def round_scores(request, pk: int, cadre: int):
    round_ = _round(request, pk)
    person = get_visible_or_404(round_.cadres.select_related("unit"), request.user, pk=cadre)
    scheme_now = services.round_scheme(round_)
    existing = selectors.cadre_scores(round_, person)
    if request.method != "POST":
        form = ScoresForm(scheme=scheme_now, existing=existing)
        return _scores_page(request, round_, person, form)
    form = ScoresForm(request.POST, scheme=scheme_now, existing=existing)
    done = submit(
        form,
        lambda d: services.scores_enter(
            actor=request.user,
            round_=round_,
            cadre=person,
            values=form.values(),
            evidence=form.evidence(),
        ),
    )
    if done is None:
        return _scores_page(request, round_, person, form, status=form.status)
    messages.success(request, _("%(name)s 的分数已保存。") % {"name": person.name})
    return redirect("cadres:round", pk=round_.pk)


def _scores_page(request, round_, person, form, status: int = 200):
    return render(
        request,
        "cadres/scores.html",
        {"round": round_, "cadre": person, "form": form},
        status=status,
    )
