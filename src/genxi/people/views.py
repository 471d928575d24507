from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core import selectors as core_selectors
from genxi.core.forms import ConfirmForm, submit
from genxi.core.pagination import paginate
from genxi.core.replica import reading_replica
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.core.services import pii_reveal
from genxi.core.spreadsheets import write_xlsx, xlsx_response
from genxi.regions.selectors import area_choices

from . import selectors, services
from .forms import ImportForm, RevealForm, SmsConsentForm
from .importers import IMPORTERS, message, template_for
from .models import ImportJob, Pioneer, PioneerKind, Resident, ResidentTag, SmsConsent

PIONEER_FILTERS = ("kind", "grid", "skill", "active", "q")
RESIDENT_FILTERS = ("grid", "tag", "q")


def _filters(request, names):
    return {name: request.GET.get(name, "").strip() for name in names}


def _list_page(request, *, perm, names, select, sheet, name, extra):
    """A filtered, paginated directory: the page, its htmx rows, or a masked Excel export."""
    require_perm(request.user, perm)
    filters = _filters(request, names)
    qs = select(user=request.user, **filters)
    if request.GET.get("format") == "xlsx":
        with reading_replica():  # an export may lag (decisions/0033)
            return xlsx_response(f"{name}.xlsx", sheet(qs))
    page, query = paginate(request, qs)
    if request.htmx:  # the rows, and the saved-filters panel's query kept up (hx-swap-oob)
        context = {"page": page, "query": query, "oob": True}
        return render(request, f"people/_{name[:-1]}_rows.html", context)
    saved = core_selectors.saved_filter_list(user=request.user, page=f"people:{name}")
    context = {"page": page, "query": query, "filters": filters, "saved": saved, **extra}
    return render(request, f"people/{name}.html", context)


@login_required
def pioneers(request):
    return _list_page(
        request,
        perm=Perm.VIEW_DATA,
        names=PIONEER_FILTERS,
        select=selectors.pioneer_list,
        sheet=_pioneer_sheet,
        name="pioneers",
        extra={"kinds": PioneerKind.choices, "areas": area_choices(request.user)},
    )


def _pioneer_sheet(qs) -> bytes:
    rows = (
        [
            p.code,
            p.name,
            p.masked("phone"),
            p.get_kind_display(),
            p.grid.code,
            p.grid.full_name,
            "、".join(p.skills),
            p.availability,
            _("是") if p.active else _("否"),
        ]
        for p in qs.iterator(chunk_size=500)
    )
    header = [
        _("编号"),
        _("姓名"),
        _("手机号码"),
        _("类别"),
        _("网格代码"),
        _("网格"),
        _("技能"),
        _("服务时间"),
        _("在岗"),
    ]
    return write_xlsx(_("海棠先锋"), [str(h) for h in header], rows)


@login_required
def pioneer_detail(request, pk: int):
    pioneer = get_visible_or_404(
        Pioneer.objects.select_related("grid", "grid__parent"), request.user, pk=pk
    )
    return render(request, "people/pioneer_detail.html", {"pioneer": pioneer})


@login_required
def residents(request):
    return _list_page(
        request,
        perm=Perm.VIEW_RESIDENTS,
        names=RESIDENT_FILTERS,
        select=selectors.resident_list,
        sheet=_resident_sheet,
        name="residents",
        extra={"tags": ResidentTag.choices, "areas": area_choices(request.user)},
    )


def _resident_sheet(qs) -> bytes:
    rows = (
        [
            r.name,
            r.masked("id_number"),
            r.masked("phone"),
            r.grid.code,
            r.grid.full_name,
            r.building,
            r.masked("address"),
            "、".join(r.tag_labels()),
        ]
        for r in qs.iterator(chunk_size=500)
    )
    header = [
        _("姓名"),
        _("身份证号"),
        _("手机号码"),
        _("网格代码"),
        _("网格"),
        _("楼栋"),
        _("住址"),
        _("标签"),
    ]
    return write_xlsx(_("居民"), [str(h) for h in header], rows)


@login_required
def resident_detail(request, pk: int):
    resident = get_visible_or_404(
        Resident.objects.select_related("grid", "grid__parent"), request.user, pk=pk
    )
    return resident_page(request, resident)


def resident_page(request, resident, *, consent_form=None, status=200):
    can_reveal = scope_for(request.user).has(Perm.REVEAL_PII)
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "can_reveal": can_reveal,
            "form": RevealForm(),
            "consent": SmsConsent.objects.filter(resident=resident).first(),
            "consent_form": consent_form or SmsConsentForm(),
        },
        status=status,
    )


@login_required
@require_POST
def resident_sms_consent(request, pk: int):
    """Record the resident's consent to texts (同意接收短信), or its withdrawal."""
    resident = get_visible_or_404(
        Resident.objects.select_related("grid", "grid__parent"), request.user, pk=pk
    )
    form = SmsConsentForm(request.POST)

    def record(d):
        if d["action"] == "withdraw":
            return services.sms_consent_withdraw(actor=request.user, resident=resident)
        return services.sms_consent_give(actor=request.user, resident=resident, how=d["how"])

    if submit(form, record) is None:
        return resident_page(request, resident, consent_form=form, status=form.status)
    messages.success(request, _("已登记。"))
    return redirect(resident)


@login_required
@require_POST
def resident_reveal(request, pk: int):
    """The plain value (200), or the row's reveal form again with the reason's error beside
    it: 400, or 403 for a user who may not reveal. htmx swaps both (genxi.js)."""
    resident = get_visible_or_404(Resident.objects.all(), request.user, pk=pk)
    form = RevealForm(request.POST)
    value = submit(
        form,
        lambda d: pii_reveal(
            actor=request.user, obj=resident, field=d["field"], reason=d["reason"]
        ),
    )
    if value is None:
        response = render(
            request,
            "people/_pii_reveal.html",
            {
                "resident": resident,
                "field": form.cleaned_data.get("field", "")
                if hasattr(form, "cleaned_data")
                else "",
                "form": form,
                "can_reveal": scope_for(request.user).has(Perm.REVEAL_PII),
            },
            status=form.status,
        )
    else:
        field = form.cleaned_data["field"]
        response = render(request, "people/_revealed.html", {"value": value, "field": field})
    response.no_store = True  # type: ignore[attr-defined]  # core.middleware.NoStoreMiddleware
    return response


def _imports_page(request, form, *, status=200):
    return render(
        request,
        "people/imports.html",
        {
            "form": form,
            "jobs": selectors.import_jobs(user=request.user)[:20],
            "importers": [IMPORTERS[k] for k in selectors.importable_kinds(request.user)],
        },
        status=status,
    )


@login_required
def imports(request):
    require_perm(request.user, Perm.IMPORT_DATA)
    if request.method != "POST":
        return _imports_page(request, ImportForm(user=request.user))
    form = ImportForm(request.POST, request.FILES, user=request.user)
    job = submit(
        form,
        lambda d: services.import_job_create(
            actor=request.user,
            kind=d["kind"],
            upload=d["file"],
            region=d["region"],
            mode=d["mode"],
        ),
    )
    if job is None:
        return _imports_page(request, form, status=form.status)
    return redirect(job)


def _import_page(request, job, *, form=None, status=200):
    errors = [dict(e, message=message(e["code"], e.get("params") or {})) for e in job.errors]
    template = "people/_import_progress.html" if request.htmx else "people/import_detail.html"
    context = {
        "job": job,
        "errors": errors,
        "preview": job.preview,
        "form": form or ConfirmForm(),
    }
    return render(request, template, context, status=status)


@login_required
def import_detail(request, pk: int):
    job = get_visible_or_404(ImportJob.objects.select_related("region"), request.user, pk=pk)
    return _import_page(request, job)


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Apply an update import's preview; if the records changed since, the new preview."""
    job = get_visible_or_404(ImportJob.objects.select_related("region"), request.user, pk=pk)
    form = ConfirmForm(request.POST)
    done = submit(form, lambda d: services.import_job_confirm(actor=request.user, job=job))
    if done is None:
        job.refresh_from_db()
        return _import_page(request, job, form=form, status=form.status)
    if done.status == "done":
        messages.success(request, _("已确认,改动已写入。"))
    return redirect(done)


@login_required
@require_POST
def import_discard(request, pk: int):
    """Drop an update import's preview: nothing is written and the upload is deleted."""
    job = get_visible_or_404(ImportJob.objects.select_related("region"), request.user, pk=pk)
    form = ConfirmForm(request.POST)
    done = submit(form, lambda d: services.import_job_discard(actor=request.user, job=job))
    if done is None:
        job.refresh_from_db()
        return _import_page(request, job, form=form, status=form.status)
    messages.success(request, _("已放弃这次导入,没有写入任何改动。"))
    return redirect(done)


@login_required
def import_template(request, kind: str):
    """The downloader's template: an example row inside its scope (marked 示例, never
    imported), drop-down lists of its grids and of the choices, and a 说明 sheet."""
    require_perm(request.user, Perm.IMPORT_DATA)
    if kind not in selectors.importable_kinds(request.user):
        return HttpResponse(status=404)
    importer = IMPORTERS[kind]
    sheet = template_for(importer, request.user)
    content = write_xlsx(
        sheet["title"],
        sheet["header"],
        sheet["rows"],
        sheet["notes"],
        choices=sheet["choices"],
        text_columns=sheet["text_columns"],
    )
    return xlsx_response(f"{kind}-template.xlsx", content)
