"""Pages of the evaluation: a project's evaluation rounds and scorecard, scoring each
stage, the street's standard and its re-weighting, the rankings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.roles import Perm, Role
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.regions.models import Region

from .. import selectors, services
from ..domain import evaluation as rules
from ..forms import EvaluationStartForm, ReweightForm, ScoreForm
from ..models import Evaluation, Stage, Tier
from .projects import _PROJECT, project_page

GRADES = {
    "excellent": _("优秀"),
    "good": _("良好"),
    "pass": _("合格"),
    "improve": _("待改进"),
}


@login_required
@require_POST
def evaluation_new(request, pk: int):
    project = get_visible_or_404(_PROJECT, request.user, pk=pk)
    form = EvaluationStartForm(request.POST)
    evaluation = submit(
        form,
        lambda d: services.evaluation_start(
            actor=request.user, project=project, period=d["period"]
        ),
    )
    if evaluation is None:
        return project_page(request, project, status=form.status, evaluation_form=form)
    messages.success(request, _("已启动评估,请先完成自评。"))
    return redirect("cobuild:evaluation", pk=evaluation.pk)


_EVALUATION = Evaluation.objects.select_related(
    "project__community", "project__parent", "version__standard"
)


def _criteria(evaluation: Evaluation) -> list:
    return list(evaluation.version.criteria.all())


def evaluation_page(request, evaluation: Evaluation, *, form=None, status=200):
    may = services.may_score(request.user, evaluation)
    if may and form is None:
        form = ScoreForm(criteria=_criteria(evaluation))
    return render(
        request,
        "cobuild/evaluation.html",
        {
            "evaluation": evaluation,
            "project": evaluation.project,
            "card": selectors.scorecard(evaluation),
            "stages": [Stage.SELF, Stage.COMMUNITY, Stage.STREET],
            "stage_labels": [Stage.SELF.label, Stage.COMMUNITY.label, Stage.STREET.label],
            "grade": GRADES[rules.grade(evaluation.total)] if evaluation.total is not None else "",
            "form": form if may or (form is not None and form.errors) else None,
        },
        status=status,
    )


@login_required
def evaluation_detail(request, pk: int):
    evaluation = get_visible_or_404(_EVALUATION, request.user, pk=pk)
    return evaluation_page(request, evaluation)


@login_required
@require_POST
def evaluation_score(request, pk: int):
    evaluation = get_visible_or_404(_EVALUATION, request.user, pk=pk)
    criteria = _criteria(evaluation)
    form = ScoreForm(request.POST, request.FILES, criteria=criteria)

    def call(d):
        scores = [
            services.ScoreIn(
                criterion_id=c.pk,
                score=d[f"score_{c.pk}"],
                evidence=d[f"evidence_{c.pk}"],
                figure=d[f"figure_{c.pk}"],
                rating=d[f"rating_{c.pk}"],
            )
            for c in criteria
        ]
        photos = {c.pk: d[f"photos_{c.pk}"] for c in criteria if d[f"photos_{c.pk}"]}
        return services.evaluation_score(
            actor=request.user, evaluation=evaluation, scores=scores, photos=photos
        )

    done = submit(form, call)
    if done is None:
        return evaluation_page(request, evaluation, form=form, status=form.status)
    messages.success(request, _("评分已提交。"))
    return redirect("cobuild:evaluation", pk=pk)


def _street(request) -> Region:
    """The street whose standard the page shows: the one named (?street=, a street the
    viewer works in or over; any other is 404) or else the viewer's own."""
    scope = scope_for(request.user)
    streets = [
        s
        for s in Region.objects.filter(level="street").order_by("code")
        if scope.is_global or any(p.startswith(s.path) or s.path.startswith(p) for p in scope.paths)
    ]
    code = request.GET.get("street", "") or request.POST.get("street", "")
    street = next((s for s in streets if s.code == code), None) if code else None
    if code and street is None or not streets:
        raise Http404
    return street or streets[0]


def standard_page(request, *, form=None, status=200):
    require_perm(request.user, Perm.VIEW_DATA)
    street = _street(request)
    version = services.current_version(street)
    criteria = list(version.criteria.all()) if version else None
    may_edit = scope_for(request.user).role_covers({Role.STREET_ADMIN}, street.path)
    if may_edit and form is None and criteria:
        form = ReweightForm(criteria=criteria)
    return render(
        request,
        "cobuild/standard.html",
        {
            "street": street,
            "version": version,
            "criteria": criteria,
            "defaults": rules.DEFAULT_CRITERIA,
            "default_name": rules.DEFAULT_NAME,
            "may_edit": may_edit,
            "form": form,
            "weight_fields": [(c, form[f"weight_{c.pk}"]) for c in criteria]
            if form is not None and criteria
            else [],
        },
        status=status,
    )


@login_required
def standard(request):
    return standard_page(request)


@login_required
@require_POST
def standard_reweight(request):
    street = _street(request)
    version = services.current_version(street)
    if version is None:
        raise PermissionDenied
    form = ReweightForm(request.POST, criteria=list(version.criteria.all()))
    done = submit(
        form,
        lambda d: services.standard_reweight(
            actor=request.user, street=street, weights=form.weights(), note=d["note"]
        ),
    )
    if done is None:
        return standard_page(request, form=form, status=form.status)
    messages.success(request, _("已保存为新版本;此前按旧版本给出的评分不变。"))
    return redirect(f"{reverse('cobuild:standard')}?street={street.code}")


@login_required
def rankings(request):
    require_perm(request.user, Perm.VIEW_DATA)
    periods = selectors.periods(request.user)
    period = request.GET.get("period", "") or (periods[0] if periods else "")
    tier = request.GET.get("tier", "")
    if tier not in Tier.values:
        tier = ""
    rows = list(selectors.ranking(user=request.user, period=period, tier=tier)[:200])
    return render(
        request,
        "cobuild/rankings.html",
        {
            "periods": periods,
            "period": period,
            "tier": tier,
            "tiers": Tier.choices,
            "rows": [(e, GRADES[rules.grade(e.total)]) for e in rows if e.total is not None],
            "communities": selectors.ranking_by_community(user=request.user, period=period),
        },
    )
