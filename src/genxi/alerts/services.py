"""Writes of the early warnings: the scan that raises and refreshes them, turning one into a
proactive case or dismissing it, and the month's focus problem (每月一题).

The scan reads the cases it needs as value lists (one query, no model instances), runs the
detectors of `domain/` and matches their findings to the warnings already raised
(`domain/dedup.py`), so the same cluster is refreshed, not raised again every day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case, CaseState, Category, Channel
from genxi.cases.services import case_create
from genxi.core import audit
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.regions.models import Level, Region

from .domain import focus as focus_domain
from .domain import hotspots, recurrences, surges
from .domain.data import NO_PLACE, CaseArrays, Finding, project, unproject
from .domain.dedup import Known, decide, merge_findings
from .models import EarlyWarning, FocusProblem, FocusState, Kind, WarningState

LOOKBACK_DAYS = max(
    hotspots.BASELINE_DAYS + max(hotspots.WINDOWS), 7 * (surges.YEAR_DAYS // 7 + 12)
)
KNOWN_DAYS = 180  # warnings this recent take part in the de-duplication
CASES_IN_TEXT = 10
REASON_MAX = 500
EPOCH = date(2000, 1, 1)
_UNIX_EPOCH_DAY = (EPOCH - date(1970, 1, 1)).days
_AUDITED = ("kind", "region_id", "category_id", "observed", "score", "state", "reason", "case_id")


@dataclass(frozen=True)
class ScanResult:
    cases: int
    new: int
    updated: int
    skipped: int
    focus: int


@dataclass(frozen=True)
class _Places:
    """Region id → its community and its street (ids), its level."""

    community: dict[int, int]
    street: dict[int, int]
    level: dict[int, str]


def _places() -> _Places:
    rows = list(
        Region.objects.filter(level__in=[Level.STREET, Level.COMMUNITY, Level.GRID]).values_list(
            "id", "level", "parent_id"
        )
    )
    level = {pk: lv for pk, lv, _p in rows}
    parent = {pk: p for pk, _lv, p in rows}
    community: dict[int, int] = {}
    street: dict[int, int] = {}
    for pk, lv, p in rows:
        if lv == Level.GRID and p is not None:
            community[pk] = p
            street[pk] = parent.get(p) or p
        elif lv == Level.COMMUNITY:
            community[pk] = pk
            street[pk] = p or pk
        else:
            street[pk] = pk
    return _Places(community, street, level)


def _day(d: date) -> int:
    return (d - EPOCH).days


def _date(day: int) -> date:
    return EPOCH + timedelta(days=day)


@dataclass
class _Read:
    arrays: CaseArrays
    places: list[str]  # place code → place key
    lat0: float
    lon0: float


def read_cases(today: date, lookback: int = LOOKBACK_DAYS) -> _Read:
    """The cases of the last `lookback` days with a category, as arrays (merged ones left out)."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(today - timedelta(days=lookback - 1), datetime.min.time(), tzinfo=tz)
    rows = list(
        Case.objects.filter(created_at__gte=since, category__isnull=False)
        .exclude(state=CaseState.MERGED)
        .values_list("id", "created_at", "lat", "lon", "category_id", "region_id", "place_key")
    )
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    # local days from the timestamps at the zone's present offset (China keeps no summer time)
    offset = timezone.localtime(timezone.now(), tz).utcoffset()
    shift = offset.total_seconds() if offset is not None else 0.0
    stamps = np.fromiter((r[1].timestamp() for r in rows), dtype=np.float64, count=n)
    day = np.floor((stamps + shift) / 86400).astype(np.int64) - _UNIX_EPOCH_DAY
    lat = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64)
    lon = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64)
    category = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
    grid = np.fromiter((r[5] for r in rows), dtype=np.int64, count=n)
    codes: dict[str, int] = {}
    place = np.fromiter(
        (codes.setdefault(r[6], len(codes)) if r[6] else NO_PLACE for r in rows),
        dtype=np.int64,
        count=n,
    )
    located = ~np.isnan(lat)
    lat0 = float(lat[located].mean()) if located.any() else 31.3
    lon0 = float(lon[located].mean()) if located.any() else 120.6
    x, y = project(lat, lon, lat0, lon0)
    arrays = CaseArrays(ids=ids, day=day, x=x, y=y, category=category, grid=grid, place=place)
    return _Read(arrays, list(codes), lat0, lon0)


def detect(read: _Read, places: _Places, today: date) -> list[Finding]:
    """Every finding of the day: hotspots, recurrences, and surges per street (a category's
    series is the street's cases of that category)."""
    a, t = read.arrays, _day(today)
    found = hotspots.hotspots(a, t) + recurrences.recurrences(a, t)
    if len(a):
        street = np.array(
            [places.street.get(int(g), -1) for g in np.unique(a.grid)], dtype=np.int64
        )
        street_of = dict(zip(np.unique(a.grid).tolist(), street.tolist(), strict=True))
        s = np.array([street_of[int(g)] for g in a.grid], dtype=np.int64)
        width = int(a.category.max()) + 1
        encoded = CaseArrays(
            ids=a.ids,
            day=a.day,
            x=a.x,
            y=a.y,
            category=s * width + a.category,
            grid=a.grid,
            place=a.place,
        )
        for f in surges.surges(encoded, t):
            if f.category == -1:
                found.append(f)
            else:
                st, cat = divmod(f.category, width)
                found.append(
                    Finding(
                        **{**f.__dict__, "category": cat, "grid": -1, "key": f"{f.key}:street:{st}"}
                    )
                )
    return merge_findings(found)


def _known(today: date) -> list[Known]:
    recent = EarlyWarning.objects.filter(seen_on__gte=today - timedelta(days=KNOWN_DAYS))
    ids: dict[int, set[int]] = {}
    for w, c in EarlyWarning.cases.through.objects.filter(earlywarning__in=recent).values_list(
        "earlywarning_id", "case_id"
    ):
        ids.setdefault(w, set()).add(c)
    return [
        Known(
            id=w.pk,
            kind=w.kind,
            key=w.key,
            category=w.category_id or -1,
            grid=w.grid_id
            or (-1 if w.kind != Kind.SURGE or ":category:" in w.key else w.region_id),
            case_ids=frozenset(ids.get(w.pk, ())),
            open=w.state == WarningState.OPEN,
            decided_after_id=w.decided_after_case,
        )
        for w in recent
    ]


def _fields(f: Finding, read: _Read, places: _Places, today: date) -> dict[str, Any] | None:
    """The warning's fields for a finding; None when it has no place to belong to."""
    region_id: int | None
    if f.kind == "surge" and f.grid == -1:
        region_id = int(f.key.rsplit(":", 1)[1])  # a category's surge belongs to its street
        grid_id = None
    else:
        region_id = places.community.get(f.grid) or places.street.get(f.grid)
        grid_id = f.grid if places.level.get(f.grid) == Level.GRID else None
    if not region_id:
        return None
    lat = lon = None
    if not np.isnan(f.x):
        lat, lon = unproject(f.x, f.y, read.lat0, read.lon0)
    place_key = ""
    if ":place:" in f.key:
        place_key = read.places[int(f.key.rsplit(":", 1)[1])]
        f = Finding(**{**f.__dict__, "key": f"recurrence:{f.category}:place:{place_key}"})
    return {
        "kind": f.kind,
        "key": f.key[:120],
        "region_id": region_id,
        "grid_id": grid_id,
        "category_id": f.category if f.category != -1 else None,
        "place_key": place_key[:100],
        "first_day": _date(f.first_day),
        "last_day": _date(f.last_day),
        "window_days": f.window_days,
        "observed": f.observed,
        "expected": None if np.isnan(f.expected) else round(f.expected, 2),
        "score": round(f.score, 2),
        "lat": lat,
        "lon": lon,
        "radius_m": round(f.radius_m, 1),
        "seen_on": today,
    }


def scan(*, today: date | None = None) -> ScanResult:
    """Run every detector over the cases and raise, refresh or skip each finding; propose
    the month's focus problem of every street. Runs daily in the background worker
    (tasks.scan_daily) and from `genxi alerts scan`."""
    today = today or timezone.localdate()
    read = read_cases(today)
    places = _places()
    findings = detect(read, places, today)
    known = _known(today)
    new = updated = skipped = 0
    with transaction.atomic():
        for f in findings:
            # place keys in the dedup key: stable across scans, whatever the codes
            fields = _fields(f, read, places, today)
            if fields is None:
                continue
            f = Finding(**{**f.__dict__, "key": fields["key"]})
            verdict, pk = decide(f, known)
            if verdict == "skip":
                skipped += 1
                continue
            if verdict == "update" and pk is not None:
                w = EarlyWarning.objects.select_for_update().get(pk=pk)
                for k, v in fields.items():
                    if k not in ("region_id", "grid_id"):
                        setattr(w, k, v)
                w.save()
                w.cases.set(f.case_ids)
                updated += 1
                continue
            w = EarlyWarning.objects.create(**fields)
            w.cases.set(f.case_ids)
            audit.record(
                actor=None, verb="warning.raise", target=w, after=audit.snapshot(w, _AUDITED)
            )
            known.append(
                Known(w.pk, f.kind, f.key, f.category, f.grid, frozenset(f.case_ids), True, 0)
            )
            new += 1
        proposed = propose_focus(month=today.replace(day=1))
    return ScanResult(
        cases=len(read.arrays), new=new, updated=updated, skipped=skipped, focus=proposed
    )


# Acting on a warning ----------------------------------------------------------------------


def can_act(actor: Any, warning: EarlyWarning) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, warning.region.path)


def _locked_open(actor: Any, warning: EarlyWarning) -> EarlyWarning:
    w = (
        # of=self: the warning's row only (PostgreSQL locks no outer-joined grid or category)
        EarlyWarning.objects.select_for_update(of=("self",))
        .select_related("region", "grid", "category")
        .get(pk=warning.pk)
    )
    if not can_act(actor, w):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以处置预警。"))
    if w.state != WarningState.OPEN:
        raise ValidationError({"state": _("这条预警已经处置过了。")})
    return w


def default_case_text(warning: EarlyWarning) -> str:
    codes = list(
        warning.cases.order_by("created_at").values_list("code", flat=True)[:CASES_IN_TEXT]
    )
    text = _("【主动发现】%(subject)s:%(first)s 至 %(last)s 共 %(n)d 件相关诉求(%(kind)s)。") % {
        "subject": warning.subject,
        "first": f"{warning.first_day:%m-%d}",
        "last": f"{warning.last_day:%m-%d}",
        "n": warning.observed,
        "kind": warning.get_kind_display(),
    }
    if codes:
        text += "\n" + _("相关诉求:%(codes)s") % {"codes": "、".join(codes)}
    return text


def warning_act(*, actor: Any, warning: EarlyWarning, text: str = "") -> Case:
    """Turn an open warning into a proactive case (channel 主动发现) over its place."""
    with transaction.atomic():
        w = _locked_open(actor, warning)
        before = audit.snapshot(w, _AUDITED)
        text = (text or "").strip() or default_case_text(w)
        region = w.grid or w.region
        if region.level == Level.STREET:
            raise ValidationError({"state": _("街道范围的预警请指定社区后再转办,或填写理由忽略。")})
        case = case_create(
            actor=actor,
            channel=Channel.PROACTIVE,
            text=text,
            category=w.category,
            region=region,
            tags=[str(_("主动发现"))],
        )
        w.case = case
        w.state = WarningState.ACTED
        w.decided_by = actor
        w.decided_at = timezone.now()
        w.decided_after_case = Case.objects.aggregate(m=Max("id"))["m"] or 0
        w.save()
        audit.record(
            actor=actor,
            verb="warning.act",
            target=w,
            before=before,
            after=audit.snapshot(w, _AUDITED),
        )
    return case


def warning_dismiss(*, actor: Any, warning: EarlyWarning, reason: str) -> EarlyWarning:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写忽略的理由。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由请不超过 %(n)d 个字。") % {"n": REASON_MAX}})
    with transaction.atomic():
        w = _locked_open(actor, warning)
        before = audit.snapshot(w, _AUDITED)
        w.state = WarningState.DISMISSED
        w.reason = reason
        w.decided_by = actor
        w.decided_at = timezone.now()
        w.decided_after_case = Case.objects.aggregate(m=Max("id"))["m"] or 0
        w.save()
        audit.record(
            actor=actor,
            verb="warning.dismiss",
            target=w,
            before=before,
            after=audit.snapshot(w, _AUDITED),
            reason=reason,
        )
    return w


# The month's focus problem (每月一题) -------------------------------------------------------


def propose_focus(*, month: date) -> int:
    """Propose (or refresh, until confirmed) every street's focus problem of `month` from
    the cases of the month before it: the category with the most cases, with its most
    frequent building. (The problem of December is chosen from November's cases.)"""
    start = month.replace(day=1)
    data_start = (start - timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    rows = (
        Case.objects.filter(
            created_at__gte=datetime.combine(data_start, datetime.min.time(), tzinfo=tz),
            created_at__lt=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            category__isnull=False,
        )
        .exclude(state=CaseState.MERGED)
        .values_list("region_id", "category__code", "place_key")
    )
    places = _places()
    by_street: dict[int, list[tuple[str, str]]] = {}
    for region_id, code, place in rows:
        street = places.street.get(region_id)
        if street is not None:
            by_street.setdefault(street, []).append((code, place))
    confirmed = set(
        FocusProblem.objects.filter(month=start, state=FocusState.CONFIRMED).values_list(
            "street_id", flat=True
        )
    )
    categories = dict(Category.objects.values_list("code", "id"))
    done = 0
    for street_id, cases in sorted(by_street.items()):
        if street_id in confirmed:
            continue
        ranked = focus_domain.candidates(cases)
        if not ranked:
            continue
        top = ranked[0]
        focus, created = FocusProblem.objects.update_or_create(
            street_id=street_id,
            month=start,
            defaults={
                "category_id": categories[top.category],
                "place_key": top.place[:100],
                "count": top.count,
                "candidates": [c.__dict__ for c in ranked],
            },
        )
        if created:
            audit.record(
                actor=None,
                verb="focus.propose",
                target=focus,
                after={"category_id": focus.category_id},
            )
        done += 1
    return done


def can_confirm(actor: Any, focus: FocusProblem) -> bool:
    return scope_for(actor).role_covers({Role.STREET_ADMIN}, focus.street.path)


def focus_confirm(*, actor: Any, focus: FocusProblem, choice: int, note: str = "") -> FocusProblem:
    """The street's admin confirms one of the proposed candidates as the month's problem."""
    with transaction.atomic():
        f = (
            FocusProblem.objects.select_for_update(of=("self",))
            .select_related("street")
            .get(pk=focus.pk)
        )
        if not can_confirm(actor, f):
            raise PermissionDenied(_("只有街道管理员可以确认每月一题。"))
        if f.state == FocusState.CONFIRMED:
            raise ValidationError({"choice": _("本月的每月一题已经确认。")})
        if not 0 <= choice < len(f.candidates):
            raise ValidationError({"choice": _("请选择一个候选问题。")})
        picked = f.candidates[choice]
        category = Category.objects.filter(code=picked["category"]).first()
        if category is None:
            raise ValidationError({"choice": _("请选择一个候选问题。")})
        f.category = category
        f.place_key = picked["place"]
        f.count = picked["count"]
        f.note = (note or "").strip()[:REASON_MAX]
        f.state = FocusState.CONFIRMED
        f.confirmed_by = actor
        f.confirmed_at = timezone.now()
        f.save()
        audit.record(
            actor=actor,
            verb="focus.confirm",
            target=f,
            after={"category_id": f.category_id, "place_key": f.place_key, "note": f.note},
        )
    return f
