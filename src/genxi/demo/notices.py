"""Demo notices (公告): in 御窑社区 a stairwell-clutter notice (楼道堆物) for the buildings of
花南家园 with two drawn pictures, approved by 元和街道 and printed for their boards; in 东港家和社区 a warning about
illegal fund-raising (防范非法集资) sent by SMS to the residents who consented (two withdrew
before it left); in 彩香一村社区 a notice waiting for its second pair of eyes. Their own
logins (loader.DEMO_USERS): `yuyao`, `donggang` (community workers) and `loufeng` (娄葑街道's
admin)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from genxi.core.models import OutboundText
from genxi.core.sms.outbox import send_now
from genxi.notices import services
from genxi.notices.models import Announcement
from genxi.people.models import Resident, SmsConsent, User
from genxi.people.services import sms_consent_withdraw
from genxi.regions.models import Building, Estate, Level, Region

from .gazetteer import spread
from .pictures import drawn, jpeg

SEED = 2424
YUYAO = "320507001006"  # 御窑社区
DONGGANG = "320571002001"  # 东港家和社区
CAIXIANG = "320508012001"  # 彩香一村社区
CLUTTER = (
    "楼道堆物清理通知",
    "近期巡查发现部分楼道堆放纸箱、旧家具和电动自行车,堵塞消防通道,存在火灾隐患。"
    "请各位居民于本周六18时前自行清理楼道内堆放的杂物,电动自行车请停放到小区集中充电棚。"
    "逾期未清理的,社区将联合物业统一清理。感谢大家的支持!",
)
FUNDRAISING = (
    "防范非法集资,守护好您的“钱袋子”",
    "非法集资常以“高息理财”“养老投资”“消费返利”为名,承诺保本高收益。"
    "请不要轻信陌生人推荐的投资项目,不要参加“免费旅游”“健康讲座”等推销活动。"
    "如发现可疑情况,请拨打社区电话或110举报。",
    "社区提醒:高息理财、养老投资多为非法集资,切勿轻信!可疑情况请拨打社区电话或110。",
)


def _users() -> dict[str, User]:
    """The demo's logins these notices are written and approved by (loader.DEMO_USERS)."""
    names = ["yuyao", "donggang", "loufeng", "yuanhe", "community"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _huanan(community: Region) -> list[Building]:
    """花南家园's buildings (1–12) in the gazetteer, spread over 御窑's grids."""
    estate, created = Estate.objects.get_or_create(
        community=community, name="花南家园", defaults={"aliases": ["花南"]}
    )
    if created:
        grids = list(community.children.filter(level=Level.GRID).order_by("code"))
        Building.objects.bulk_create(
            [Building(estate=estate, number=str(n), grid=g) for n, g in spread(12, grids)]
        )
    return list(estate.buildings.order_by("pk"))


def load_notices() -> dict[str, int]:
    if Announcement.objects.filter(title=CLUTTER[0]).exists():
        return {}
    rng = random.Random(SEED)
    users = _users()
    today = timezone.localdate()
    yuyao = Region.objects.get(code=YUYAO)
    donggang = Region.objects.get(code=DONGGANG)

    # 御窑: the buildings of 花南家园, printed for their stairwell boards.
    buildings = _huanan(yuyao)
    clutter = services.notice_create(
        actor=users["yuyao"],
        community=yuyao,
        title=CLUTTER[0],
        text=CLUTTER[1],
        valid_from=today - timedelta(days=2),
        valid_until=today + timedelta(days=12),
        audience="buildings",
        buildings=buildings,
    )
    for caption, colour in (
        ("电动自行车请停充电棚", (64, 120, 170)),
        ("楼道保持畅通", (90, 150, 90)),
    ):
        picture = jpeg(drawn("花南家园", caption, colour))
        services.notice_image_add(
            actor=users["yuyao"],
            notice=clutter,
            image=SimpleUploadedFile("demo.jpg", picture, content_type="image/jpeg"),
            caption=caption,
        )
    services.notice_act(actor=users["yuyao"], notice=clutter, action="submit")
    services.notice_act(actor=users["yuanhe"], notice=clutter, action="approve")
    services.poster_print(actor=users["yuyao"], notice=clutter, buildings=buildings)
    # The scans of its QR code and other views so far (counters: nobody is recorded).
    Announcement.objects.filter(pk=clutter.pk).update(qr_views=46, web_views=9)

    # 东港家和: by SMS to the residents who consented.
    residents = list(Resident.objects.filter(grid__parent=donggang).order_by("pk"))
    now = timezone.now()
    consenting = [r for r in residents if rng.random() < 0.6]
    SmsConsent.objects.bulk_create(
        [
            SmsConsent(
                resident=r,
                consented_at=now - timedelta(days=rng.randint(5, 200)),
                consented_by=users["donggang"],
                how="入户走访时书面同意",
            )
            for r in consenting
        ]
    )
    warning = services.notice_create(
        actor=users["donggang"],
        community=donggang,
        title=FUNDRAISING[0],
        text=FUNDRAISING[1],
        valid_from=today,
        valid_until=today + timedelta(days=30),
        by_sms=True,
        sms_text=FUNDRAISING[2],
    )
    services.notice_act(actor=users["donggang"], notice=warning, action="submit")
    services.notice_act(actor=users["loufeng"], notice=warning, action="approve")
    # Two residents withdraw their consent before the texts leave: they get none.
    for r in consenting[:2]:
        sms_consent_withdraw(actor=users["donggang"], resident=r)
    # The demo sends now (the default sender only logs, masked); a worker would do the same.
    for pk in OutboundText.objects.filter(purpose="notice", status="pending").values_list(
        "pk", flat=True
    ):
        send_now(pk)

    # 彩香一村: a notice waiting for approval by someone other than its author.
    waiting = services.notice_create(
        actor=users["community"],
        community=Region.objects.get(code=CAIXIANG),
        title="小区二次供水水箱清洗停水通知",
        text="下周三9:00—15:00清洗二次供水水箱,届时彩香一村花园1—20幢停水,请提前储水。",
        valid_from=today + timedelta(days=1),
        valid_until=today + timedelta(days=8),
    )
    services.notice_act(actor=users["community"], notice=waiting, action="submit")
    return {"community_notices": 3, "notice_images": 2, "sms_consents": len(consenting)}
