"""Writes of cadre development. Only the organisation office over a cadre's place writes
(`Role.ORG_OFFICE`, held on a street); every write runs in one transaction, locks what it
changes and is audited; so is every view of a cadre's record (`cadre_viewed`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case
from genxi.cobuild.models import Project
from genxi.core import audit
from genxi.core.notifications import tell
from genxi.core.roles import Role
from genxi.core.scope import scope_for
from genxi.people.models import Membership, User
from genxi.regions.models import Level, Region

from .domain import assessment
from .models import (
    AssessmentRound,
    Attendance,
    Cadre,
    CadrePost,
    Certificate,
    Commendation,
    CommendationLevel,
    Course,
    Gender,
    Posting,
    PostingKind,
    Programme,
    Result,
    RoundStatus,
    Scheme,
    Score,
    ScorerKind,
)

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
CADRE_FIELDS = ("name", "gender", "birth_year", "phone", "post", "unit", "user", "active")


def is_office_over(actor: Any, region: Region) -> bool:
    """Whether the actor holds the organisation office's role at or above `region`."""
    return scope_for(actor).role_covers({Role.ORG_OFFICE}, region.path)


def _require_office(actor: Any, region: Region) -> None:
    if not is_office_over(actor, region):
        raise PermissionDenied(_("只有本街道的组织人事部门可以这样做。"))


def street_of(region: Region) -> Region:
    """The street a cadre's unit (a street or a community) belongs to."""
    if region.level == Level.STREET:
        return region
    parent = region.parent
    assert parent is not None, "a community always has its street"
    return parent


def _check_cadre(
    *, unit: Region, name: str, gender: str, birth_year: int, phone: str, post: str, user: Any
) -> None:
    errors: dict[str, str] = {}
    if unit.level not in (Level.STREET, Level.COMMUNITY):
        errors["unit"] = _("干部须属于街道或社区。")
    if not name.strip():
        errors["name"] = _("请填写姓名。")
    if gender not in Gender.values:
        errors["gender"] = _("请选择性别。")
    this_year = timezone.localdate().year
    if not (this_year - 80 <= birth_year <= this_year - 16):
        errors["birth_year"] = _("出生年份不正确。")
    digits = phone.strip()
    if digits and not (len(digits) == 11 and digits.isdigit() and digits.startswith("1")):
        errors["phone"] = _("请填写 11 位手机号。")
    if not post.strip():
        errors["post"] = _("请填写职务。")
    if errors:
        raise ValidationError(errors)


def _check_user(user: Any, cadre: Cadre | None) -> None:
    if user is None:
        return
    taken = Cadre.objects.filter(user=user)
    if cadre is not None:
        taken = taken.exclude(pk=cadre.pk)
    if taken.exists():
        raise ValidationError({"user": _("该账号已关联其他干部。")})


@transaction.atomic
def cadre_create(
    *,
    actor: Any,
    unit: Region,
    name: str,
    gender: str,
    birth_year: int,
    phone: str,
    post: str,
    starts: date,
    user: User | None = None,
) -> Cadre:
    _require_office(actor, unit)
    _check_cadre(
        unit=unit,
        name=name,
        gender=gender,
        birth_year=birth_year,
        phone=phone,
        post=post,
        user=user,
    )
    _check_user(user, None)
    cadre = Cadre.objects.create(
        unit=unit,
        name=name.strip(),
        gender=gender,
        birth_year=birth_year,
        phone=phone.strip(),
        post=post.strip(),
        user=user,
    )
    CadrePost.objects.create(cadre=cadre, post=cadre.post, unit=unit, starts=starts)
    audit.record(actor=actor, verb="cadre.create", target=cadre, after=audit.snapshot(cadre))
    return cadre


@transaction.atomic
def cadre_update(
    *,
    actor: Any,
    cadre: Cadre,
    name: str,
    gender: str,
    birth_year: int,
    phone: str,
    user: User | None,
    active: bool,
) -> Cadre:
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    _require_office(actor, cadre.unit)
    _check_cadre(
        unit=cadre.unit,
        name=name,
        gender=gender,
        birth_year=birth_year,
        phone=phone,
        post=cadre.post,
        user=user,
    )
    _check_user(user, cadre)
    before = audit.snapshot(cadre, CADRE_FIELDS)
    cadre.name, cadre.gender, cadre.birth_year = name.strip(), gender, birth_year
    cadre.phone, cadre.user, cadre.active = phone.strip(), user, active
    cadre.save()
    old, new = audit.diff(before, audit.snapshot(cadre, CADRE_FIELDS))
    audit.record(actor=actor, verb="cadre.update", target=cadre, before=old, after=new)
    return cadre


@transaction.atomic
def cadre_post_change(
    *, actor: Any, cadre: Cadre, post: str, unit: Region, starts: date
) -> CadrePost:
    """A new post: the current one ends the day before, the new one begins."""
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_office(actor, cadre.unit)
    errors: dict[str, str] = {}
    if not post.strip():
        errors["post"] = _("请填写职务。")
    if unit.level not in (Level.STREET, Level.COMMUNITY) or street_of(unit) != street_of(
        cadre.unit
    ):
        errors["unit"] = _("新单位须在本街道内。")
    current = cadre.posts.filter(ends__isnull=True).order_by("-starts").first()
    if current is not None and starts <= current.starts:
        errors["starts"] = _("任职时间须晚于现任职务的任职时间。")
    if errors:
        raise ValidationError(errors)
    if current is not None:
        current.ends = starts - timedelta(days=1)
        current.save(update_fields=["ends"])
    made = CadrePost.objects.create(cadre=cadre, post=post.strip(), unit=unit, starts=starts)
    before = {"post": cadre.post, "unit": cadre.unit_id}
    cadre.post, cadre.unit = made.post, unit
    cadre.save(update_fields=["post", "unit", "updated_at"])
    audit.record(
        actor=actor,
        verb="cadre.post",
        target=cadre,
        before=before,
        after={"post": cadre.post, "unit": unit.pk, "starts": starts},
    )
    return made


def cadre_viewed(*, actor: Any, cadre: Cadre, what: str = "record") -> None:
    """Record that the actor saw the cadre's record (or a certificate of it)."""
    with transaction.atomic():
        audit.record(actor=actor, verb="cadre.view", target=cadre, after={"page": what})


# Training -----------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    street: Region,
    title: str,
    organiser: str,
    starts: date,
    ends: date,
    description: str = "",
) -> Programme:
    _require_office(actor, street)
    errors: dict[str, str] = {}
    if street.level != Level.STREET:
        errors["street"] = _("培训项目须属于一个街道。")
    if not title.strip():
        errors["title"] = _("请填写培训项目名称。")
    if ends < starts:
        errors["ends"] = _("结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        street=street,
        title=title.strip(),
        organiser=organiser.strip(),
        starts=starts,
        ends=ends,
        description=description.strip(),
    )
    audit.record(
        actor=actor, verb="programme.create", target=programme, after=audit.snapshot(programme)
    )
    return programme


@transaction.atomic
def course_add(
    *,
    actor: Any,
    programme: Programme,
    title: str,
    day: date,
    hours: Decimal,
    teacher: str = "",
) -> Course:
    programme = Programme.objects.select_for_update().select_related("street").get(pk=programme.pk)
    _require_office(actor, programme.street)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写课程名称。")
    if not (programme.starts <= day <= programme.ends):
        errors["day"] = _("课程日期须在培训期间内。")
    if not (Decimal("0") < hours <= Decimal("24")):
        errors["hours"] = _("学时须在 0 到 24 之间。")
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        programme=programme, title=title.strip(), day=day, hours=hours, teacher=teacher.strip()
    )
    audit.record(actor=actor, verb="course.create", target=course, after=audit.snapshot(course))
    return course


@transaction.atomic
def attendance_set(*, actor: Any, course: Course, cadres: Sequence[Cadre]) -> int:
    """The cadres present at the course, replacing what was recorded before."""
    course = (
        Course.objects.select_for_update().select_related("programme__street").get(pk=course.pk)
    )
    street = course.programme.street
    _require_office(actor, street)
    wanted = {c.pk for c in cadres}
    allowed = set(
        Cadre.objects.filter(pk__in=wanted, unit__path__startswith=street.path).values_list(
            "pk", flat=True
        )
    )
    if wanted - allowed:
        raise ValidationError({"cadres": _("只能登记本街道的干部。")})
    before = sorted(course.attendances.values_list("cadre_id", flat=True))
    course.attendances.exclude(cadre_id__in=wanted).delete()
    have = set(course.attendances.values_list("cadre_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(course=course, cadre_id=pk) for pk in sorted(wanted - have)]
    )
    audit.record(
        actor=actor,
        verb="attendance.set",
        target=course,
        before={"cadres": before},
        after={"cadres": sorted(wanted)},
    )
    return len(wanted)


@transaction.atomic
def certificate_add(
    *,
    actor: Any,
    programme: Programme,
    cadre: Cadre,
    title: str,
    issued_on: date,
    file: File[Any],
) -> Certificate:
    programme = Programme.objects.select_for_update().select_related("street").get(pk=programme.pk)
    _require_office(actor, programme.street)
    errors: dict[str, str] = {}
    if not cadre.unit.path.startswith(programme.street.path):
        errors["cadre"] = _("只能为本街道的干部登记证书。")
    if not title.strip():
        errors["title"] = _("请填写证书名称。")
    name = (file.name or "").lower()
    if not any(name.endswith(ext) for ext in CERTIFICATE_TYPES):
        errors["file"] = _("证书文件须是 PDF、JPG 或 PNG。")
    elif (file.size or 0) > CERTIFICATE_MAX_BYTES:
        errors["file"] = _("证书文件不能超过 5 MB。")
    if errors:
        raise ValidationError(errors)
    certificate = Certificate.objects.create(
        programme=programme, cadre=cadre, title=title.strip(), issued_on=issued_on, file=file
    )
    audit.record(
        actor=actor,
        verb="certificate.create",
        target=cadre,
        after={"certificate": certificate.pk, "title": certificate.title},
    )
    return certificate


# Postings and commendations -------------------------------------------------------------------


@transaction.atomic
def posting_add(
    *,
    actor: Any,
    cadre: Cadre,
    kind: str,
    starts: date,
    ends: date | None = None,
    place: Region | None = None,
    project: Project | None = None,
    case: Case | None = None,
    role: str = "",
    achievements: str = "",
) -> Posting:
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_office(actor, cadre.unit)
    street = street_of(cadre.unit)
    errors: dict[str, str] = {}
    if kind not in PostingKind.values:
        errors["kind"] = _("请选择挂职类型。")
    elif kind == PostingKind.COMMUNITY and (place is None or place.level != Level.COMMUNITY):
        errors["place"] = _("请选择挂职的社区。")
    elif kind == PostingKind.GRID and (place is None or place.level != Level.GRID):
        errors["place"] = _("请选择挂职的网格。")
    elif kind == PostingKind.PROJECT and project is None:
        errors["project"] = _("请选择共建项目。")
    elif kind == PostingKind.CASE_TEAM and case is None:
        errors["case"] = _("请选择诉求。")
    if place is not None and not place.path.startswith(street.path):
        errors["place"] = _("挂职地点须在本街道内。")
    if project is not None and not project.community.path.startswith(street.path):
        errors["project"] = _("项目须在本街道内。")
    if case is not None and not (case.region and case.region.path.startswith(street.path)):
        errors["case"] = _("诉求须在本街道内。")
    if ends is not None and ends < starts:
        errors["ends"] = _("结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    keep_place = place if kind in (PostingKind.COMMUNITY, PostingKind.GRID) else None
    posting = Posting.objects.create(
        cadre=cadre,
        kind=kind,
        place=keep_place,
        project=project if kind == PostingKind.PROJECT else None,
        case=case if kind == PostingKind.CASE_TEAM else None,
        starts=starts,
        ends=ends,
        role=role.strip(),
        achievements=achievements.strip(),
    )
    audit.record(actor=actor, verb="posting.create", target=cadre, after=audit.snapshot(posting))
    return posting


@transaction.atomic
def commendation_add(
    *, actor: Any, cadre: Cadre, title: str, level: str, awarded_on: date, issuer: str = ""
) -> Commendation:
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_office(actor, cadre.unit)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写表彰名称。")
    if level not in CommendationLevel.values:
        errors["level"] = _("请选择级别。")
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = _("表彰日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    made = Commendation.objects.create(
        cadre=cadre, title=title.strip(), level=level, awarded_on=awarded_on, issuer=issuer.strip()
    )
    audit.record(actor=actor, verb="commendation.create", target=cadre, after=audit.snapshot(made))
    return made


# The assessment --------------------------------------------------------------------------------


def scheme_of(street: Region) -> assessment.Scheme:
    """The street's scheme as it stands (the default "1+3+2" until the street edits it)."""
    saved = Scheme.objects.filter(street=street).first()
    if saved is None:
        return assessment.default_scheme()
    return assessment.scheme_from_json(
        {"dimensions": saved.dimensions, "scorers": saved.scorers, "version": saved.version}
    )


@transaction.atomic
def scheme_update(
    *,
    actor: Any,
    street: Region,
    name: str,
    dimensions: Sequence[assessment.Dimension],
    scorers: Mapping[str, Decimal],
) -> Scheme:
    """Save the street's scheme as a new version. Rounds already open or closed keep the
    version they froze."""
    _require_office(actor, street)
    proposed = assessment.Scheme(dimensions=tuple(dimensions), scorers=dict(scorers))
    try:
        proposed.check()
    except assessment.SchemeError as exc:
        message = (
            _("请至少保留一个维度,权重不能为负,合计须大于 0。")
            if exc.field == "dimensions"
            else _("评分主体的权重不能为负,合计须大于 0。")
        )
        raise ValidationError({exc.field: message}) from exc
    if not name.strip():
        raise ValidationError({"name": _("请填写方案名称。")})
    saved = Scheme.objects.select_for_update().filter(street=street).first()
    before = None
    if saved is None:
        # The shipped default was version 1: the street's first own scheme is version 2.
        saved = Scheme(street=street, version=assessment.default_scheme().version + 1)
    else:
        before = {
            "version": saved.version,
            "dimensions": saved.dimensions,
            "scorers": saved.scorers,
        }
        saved.version += 1
    data = proposed.to_json()
    saved.name = name.strip()
    saved.dimensions = data["dimensions"]
    saved.scorers = data["scorers"]
    saved.save()
    audit.record(
        actor=actor,
        verb="scheme.update",
        target=saved,
        before=before,
        after={"version": saved.version, "dimensions": saved.dimensions, "scorers": saved.scorers},
    )
    return saved


@transaction.atomic
def round_plan(
    *, actor: Any, street: Region, title: str, period: str, cadres: Sequence[Cadre]
) -> AssessmentRound:
    _require_office(actor, street)
    errors: dict[str, str] = {}
    if street.level != Level.STREET:
        errors["street"] = _("考核须属于一个街道。")
    if not title.strip():
        errors["title"] = _("请填写考核名称。")
    if not period.strip():
        errors["period"] = _("请填写考核期。")
    if not cadres:
        errors["cadres"] = _("请选择参评干部。")
    elif any(not c.unit.path.startswith(street.path) or not c.active for c in cadres):
        errors["cadres"] = _("参评干部须是本街道在岗的干部。")
    if errors:
        raise ValidationError(errors)
    made = AssessmentRound.objects.create(street=street, title=title.strip(), period=period.strip())
    made.cadres.set(cadres)
    audit.record(
        actor=actor,
        verb="round.create",
        target=made,
        after={"title": made.title, "period": made.period, "cadres": sorted(c.pk for c in cadres)},
    )
    return made


def _locked_round(round_: AssessmentRound) -> AssessmentRound:
    locked: AssessmentRound = (
        AssessmentRound.objects.select_for_update().select_related("street").get(pk=round_.pk)
    )
    return locked


@transaction.atomic
def round_open(*, actor: Any, round_: AssessmentRound) -> AssessmentRound:
    """Open for scoring: the street's scheme, as it stands, is frozen into the round."""
    locked = _locked_round(round_)
    _require_office(actor, locked.street)
    if locked.status != RoundStatus.PLANNED:
        raise ValidationError({"status": _("只有计划中的考核可以开始评分。")})
    scheme = scheme_of(locked.street)
    locked.snapshot = scheme.to_json()
    locked.scheme_version = scheme.version
    locked.status = RoundStatus.OPEN
    locked.opened_at = timezone.now()
    locked.save()
    audit.record(
        actor=actor,
        verb="round.open",
        target=locked,
        before={"status": RoundStatus.PLANNED},
        after={"status": RoundStatus.OPEN, "scheme_version": scheme.version},
    )
    return locked


def round_scheme(round_: AssessmentRound) -> assessment.Scheme:
    """The scheme a round weighs by: its frozen copy once open, the street's before."""
    if round_.snapshot:
        return assessment.scheme_from_json(round_.snapshot)
    return scheme_of(round_.street)


@transaction.atomic
def scores_enter(
    *,
    actor: Any,
    round_: AssessmentRound,
    cadre: Cadre,
    values: Mapping[tuple[str, str], Decimal | None],
    evidence: Mapping[str, str] | None = None,
) -> int:
    """Enter (or clear, with None) one cadre's scores of an open round: (scorer, dimension)
    → 0–100; `evidence` per dimension. Answers how many scores the cadre now has."""
    locked = _locked_round(round_)
    _require_office(actor, locked.street)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError({"status": _("只有评分中的考核可以录入分数。")})
    if not locked.cadres.filter(pk=cadre.pk).exists():
        raise ValidationError({"cadre": _("该干部不在本轮参评名单中。")})
    scheme = round_scheme(locked)
    keys = {d.key for d in scheme.dimensions}
    errors: dict[str, str] = {}
    for (scorer, dim), value in values.items():
        if scorer not in ScorerKind.values or dim not in keys:
            errors["values"] = _("未知的评分项。")
        elif value is not None and not assessment.check_score(value):
            errors[f"s_{scorer}_{dim}"] = _("分数须在 0 到 100 之间。")
    if errors:
        raise ValidationError(errors)
    evidence = evidence or {}
    before = {
        f"{s.scorer}/{s.dimension}": str(s.value)
        for s in Score.objects.filter(round=locked, cadre=cadre)
    }
    for (scorer, dim), value in values.items():
        if value is None:
            Score.objects.filter(round=locked, cadre=cadre, scorer=scorer, dimension=dim).delete()
            continue
        Score.objects.update_or_create(
            round=locked,
            cadre=cadre,
            scorer=scorer,
            dimension=dim,
            defaults={
                "value": value,
                "evidence": evidence.get(dim, "")[:200],
                "entered_by": actor,
            },
        )
    after = {
        f"{s.scorer}/{s.dimension}": str(s.value)
        for s in Score.objects.filter(round=locked, cadre=cadre)
    }
    old, new = audit.diff(before, after)
    audit.record(
        actor=actor,
        verb="score.enter",
        target=locked,
        target_label=f"{locked} · {cadre}",
        before=old,
        after=new | {"cadre": cadre.pk},
    )
    return len(after)


def compute_results(round_: AssessmentRound) -> list[tuple[int, assessment.Result]]:
    """Each participant's result under the round's scheme, from its scores (no write)."""
    scheme = round_scheme(round_)
    by_cadre: dict[int, dict[tuple[str, str], Decimal]] = {
        pk: {} for pk in round_.cadres.values_list("pk", flat=True)
    }
    for cadre_id, scorer, dim, value in Score.objects.filter(round=round_).values_list(
        "cadre_id", "scorer", "dimension", "value"
    ):
        by_cadre.setdefault(cadre_id, {})[(scorer, dim)] = value
    return [(pk, assessment.weighted_result(scheme, s)) for pk, s in sorted(by_cadre.items())]


@transaction.atomic
def round_close(*, actor: Any, round_: AssessmentRound) -> AssessmentRound:
    """Close the round: compute each result under its frozen scheme, rank, keep them, and
    tell the street's organisation office that the ranking is published."""
    locked = _locked_round(round_)
    _require_office(actor, locked.street)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError({"status": _("只有评分中的考核可以结束。")})
    if not Score.objects.filter(round=locked).exists():
        raise ValidationError({"status": _("还没有录入任何分数,不能结束考核。")})
    results = dict(compute_results(locked))
    ranked = assessment.rank({pk: r.total for pk, r in results.items()})
    Result.objects.bulk_create(
        [
            Result(
                round=locked,
                cadre_id=row.key,
                total=row.total,
                rank=row.rank,
                by_dimension={k: str(v) for k, v in results[row.key].by_dimension.items()},
                complete=results[row.key].complete,
            )
            for row in ranked
        ]
    )
    locked.status = RoundStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    audit.record(
        actor=actor,
        verb="round.close",
        target=locked,
        before={"status": RoundStatus.OPEN},
        after={"status": RoundStatus.CLOSED, "results": len(ranked)},
    )
    office = User.objects.filter(
        pk__in=Membership.objects.filter(
            role=Role.ORG_OFFICE, active=True, region=locked.street
        ).values("user")
    )
    tell(
        office,
        verb="round.close",
        text=_("考核“%(title)s”已结束,排名已发布。") % {"title": locked.title},
        subject=locked,
    )
    return locked
