"""Demo inspections (检查整改), as on the newspaper page: five school canteens of 黄桥街道
checked by the market-supervision branch with the street ("generally good"); shop fire
safety across 晨曦馨苑, 湖沁, 娄北 and 康桥花园 (元和街道) with notices issued on the spot,
some fixed on re-inspection and some escalated into the request loop; the residential
environment of 御窑 (花南家园).

Written through the services (so numbers, notices, re-inspections and escalations are the
real ones), then dated back: the rounds took place in the past weeks. Deterministic."""

from __future__ import annotations

import base64
import io
import random
import uuid
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from genxi.inspections import services
from genxi.inspections.models import (
    ChecklistTemplate,
    Inspection,
    MemberRole,
    Notice,
    Result,
    Round,
    Target,
)
from genxi.people.models import User
from genxi.regions.models import Region

SEED = 13
HUANGQIAO = "320507002000"
YUANHE = "320507001000"

CANTEENS = [
    ("320507002001", "黄桥实验小学食堂", "黄桥路18号", "JY33205070000101"),
    ("320507002001", "黄桥中学食堂", "黄桥路66号", "JY33205070000102"),
    ("320507002002", "张庄小学食堂", "张庄路9号", "JY33205070000103"),
    ("320507002003", "旺庄幼儿园食堂", "旺庄路21号", "JY33205070000104"),
    ("320507002003", "相城区胡湾小学食堂", "胡湾路5号", "JY33205070000105"),
]
# community code, shop name, kind, address; failed positions (fixed on the spot), outcome
SHOPS = [
    ("320507001001", "晨曦小厨", "restaurant", "娄北路101号", {2: False}, "fixed"),
    ("320507001001", "馨苑便利店", "shop", "娄北路105号", {}, ""),
    ("320507001001", "安居房产中介", "estate_agency", "娄北路109号", {5: True}, ""),
    ("320507001002", "湖沁快捷酒店", "hotel", "湖沁路12号", {3: False, 4: False}, "escalated"),
    ("320507001002", "湖沁面馆", "restaurant", "湖沁路20号", {1: False}, "fixed"),
    ("320507001003", "娄北五金店", "shop", "元和路36号", {4: False}, "open"),
    ("320507001003", "启航培训中心", "training", "元和路40号", {}, ""),
    ("320507001004", "康桥烧烤", "restaurant", "康桥路8号", {1: False, 2: False}, "escalated"),
    ("320507001004", "康桥水果店", "shop", "康桥路15号", {5: True}, ""),
]
ESTATES = [
    ("320507001006", "花南家园", "御窑路200号", {1: False, 6: True}, "fixed"),
    ("320507001006", "御窑花园", "御窑路88号", {}, ""),
]
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴芳"]


def signature(rng: random.Random) -> str:
    """A signature drawn on the phone: a few strokes on a transparent ground."""
    image = Image.new("RGBA", (340, 140), (0, 0, 0, 0))
    points = [(20 + 45 * i, rng.randint(30, 110)) for i in range(7)]
    ImageDraw.Draw(image).line(points, fill="black", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _photo():
    """A placeholder photo of a finding (a grey JPEG)."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 150, 140)).save(out, format="JPEG")
    out.seek(0)
    out.name = "finding.jpg"
    out.size = len(out.getvalue())
    return out


def _target(actor, code, name, kind, address, licence, rng) -> Target:
    community = Region.objects.get(code=code)
    grid = Region.objects.grids().filter(parent=community).order_by("code").first()
    phone = f"139{rng.randint(10000000, 99999999)}"
    return services.target_create(
        actor=actor,
        kind=kind,
        name=name,
        community=community,
        grid=grid,
        address=address,
        licences=licence,
        responsible_name=rng.choice(NAMES),
        responsible_phone=phone,
    )


def _inspect(inspection, actor, failed: dict[int, bool], rng: random.Random) -> None:
    for item in services.items_of(inspection):
        fail = item.position in failed
        services.answer_submit(
            actor=actor,
            inspection=inspection,
            item=item,
            key=uuid.uuid4(),
            result=Result.FAIL if fail else Result.PASS,
            note=f"现场发现:{item.text}不符合要求" if fail else "",
            fixed_on_spot=failed.get(item.position, False),
            photos=[_photo()] if fail and item.photo_on_fail else [],
        )
    services.inspection_finish(
        actor=actor,
        inspection=inspection,
        ack_name=inspection.target.masked("responsible_name")[:1] + "先生",
        signature=signature(rng),
        note="已现场告知整改要求。" if failed else "总体情况较好。",
    )


def _round(actor, street, code, title, targets, team, department, days_ago) -> Round:
    today = timezone.localdate()
    return services.round_create(
        actor=actor,
        title=title,
        street=street,
        template=ChecklistTemplate.objects.get(code=code),
        targets=targets,
        starts_on=today - timedelta(days=days_ago),
        ends_on=today - timedelta(days=days_ago - 3),
        team=team,
        department=department,
    )


def _follow_up(outcomes: dict[int, str], actor, rng) -> dict[str, int]:
    """Re-inspect the notices that were fixed; move the deadline of the escalated ones into
    the past and escalate them as the periodic job does."""
    done = {"closed": 0, "escalated": 0}
    for notice in Notice.objects.filter(target_id__in=outcomes).select_related("target"):
        outcome = outcomes[notice.target_id]
        if outcome == "fixed":
            reinspection = Inspection.objects.get(reinspects=notice, state="pending")
            _inspect(reinspection, actor, {}, rng)
            done["closed"] += 1
        elif outcome == "escalated":
            Notice.objects.filter(pk=notice.pk).update(due_at=timezone.now() - timedelta(days=2))
    done["escalated"] = len(services.escalate_due())
    return done


def load_inspections() -> dict[str, int]:
    if Round.objects.exists():
        return {}
    rng = random.Random(SEED)
    services.ensure_default_templates()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["huangqiao", "scjg", "yuanhe", "yhxf"])
    }
    if len(users) < 4:
        return {}
    huangqiao, yuanhe = Region.objects.get(code=HUANGQIAO), Region.objects.get(code=YUANHE)
    created = {"inspection_rounds": 0, "inspection_targets": 0, "notices": 0}

    # Five school canteens: the market-supervision branch with 黄桥街道.
    street_admin, officer = users["huangqiao"], users["scjg"]
    canteens = [
        _target(street_admin, code, name, "school_canteen", address, licence, rng)
        for code, name, address, licence in CANTEENS
    ]
    food = _round(
        street_admin,
        huangqiao,
        "school-canteen-food",
        "春季学校食堂食品安全联合检查",
        canteens,
        [(officer, MemberRole.DEPARTMENT), (street_admin, MemberRole.STREET)],
        "相城区市场监管局黄桥分局",
        20,
    )
    findings = [{}, {4: True}, {}, {7: True, 8: False}, {}]
    for inspection, failed in zip(food.inspections.order_by("target__name"), findings, strict=True):
        _inspect(inspection, officer, failed, rng)

    # Shop fire safety across four communities of 元和街道.
    safety = users["yuanhe"]
    outcomes: dict[int, str] = {}
    shops = []
    for code, name, kind, address, failed, outcome in SHOPS:
        shop = _target(safety, code, name, kind, address, "", rng)
        shops.append((shop, failed))
        if outcome:
            outcomes[shop.pk] = outcome
    fire = _round(
        safety,
        yuanhe,
        "shop-fire-safety",
        "沿街商铺消防安全排查",
        [s for s, _f in shops],
        [(users["yhxf"], MemberRole.DEPARTMENT), (safety, MemberRole.STREET)],
        "元和消防救援站",
        14,
    )
    by_target = {i.target_id: i for i in fire.inspections.all()}
    for shop, failed in shops:
        _inspect(by_target[shop.pk], safety, failed, rng)

    # The residential environment of 御窑.
    estates = []
    for code, name, address, failed, outcome in ESTATES:
        estate = _target(safety, code, name, "residential", address, "", rng)
        estates.append((estate, failed))
        if outcome:
            outcomes[estate.pk] = outcome
    env = _round(
        safety,
        yuanhe,
        "residential-environment",
        "御窑社区居住环境整治检查",
        [e for e, _f in estates],
        [(safety, MemberRole.STREET)],
        "",
        10,
    )
    by_target = {i.target_id: i for i in env.inspections.all()}
    for estate, failed in estates:
        _inspect(by_target[estate.pk], safety, failed, rng)

    follow = _follow_up(outcomes, safety, rng)
    # The canteens' and the shops' rounds are over and closed by their streets; the estates'
    # ended a week ago and waits for 元和 to close it (its page offers to: 待结束).
    services.round_close(actor=street_admin, round_=food)
    services.round_close(actor=safety, round_=fire)
    created["inspection_rounds"] = Round.objects.count()
    created["inspection_targets"] = Target.objects.count()
    created["notices"] = Notice.objects.count()
    created["notices_closed"] = follow["closed"]
    created["notices_escalated"] = follow["escalated"]
    return created
