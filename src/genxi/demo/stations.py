"""Demo service stations (驿站), as on the newspaper page: the sampling booths of 虎丘街道's
观景 and 仁安 communities turned rest stops, and 富元社区's “元气加油站” — with hours, duty
volunteers (the `yizhan` login is one), a year of visits and a reflections wall. Loaded once."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from genxi.people.models import Pioneer, User
from genxi.regions.models import Region
from genxi.stations.domain.hours import TZ, day_hours, parse_day, weekly_to_json
from genxi.stations.models import (
    HoursException,
    Reflection,
    ReflectionStatus,
    Station,
    StationVisit,
    StationVolunteer,
)

SEED = 1207
DAILY = dict.fromkeys(range(7), parse_day("08:00-20:00"))
# (community code, name, address, description, weekly hours, amenities, serves, visitors a
# day by type, manager's username)
STATIONS = [
    (
        "320508013001",
        "观景驿站",
        "观景新村北门(原核酸采样亭)",
        "闲置的核酸采样亭改建的户外劳动者驿站:歇脚、喝口热水、热一热饭、给手机充上电。",
        DAILY,
        ["microwave", "kettle", "tables", "heating", "charging", "hot_drinks"],
        ["courier", "rider", "sanitation"],
        {"courier": 6, "rider": 9, "sanitation": 4, "resident": 2, "other": 1},
        "guanjing",
    ),
    (
        "320508013002",
        "仁安驿站",
        "仁安花园东侧(原核酸采样亭)",
        "采样亭改建,工作日早晚为环卫工人和快递小哥留一盏灯。",
        {d: parse_day("07:00-19:30") for d in range(5)} | {5: parse_day("09:00-17:00")},
        ["kettle", "tables", "heating", "charging", "toilet"],
        ["courier", "rider", "sanitation", "resident"],
        {"courier": 4, "rider": 5, "sanitation": 6, "resident": 3, "other": 1},
        "",
    ),
    (
        "320507001005",
        "元气加油站",
        "富元家园 3 幢南侧",
        "富元社区的“元气加油站”:微波炉、热水壶、共享药箱、借阅图书,还有一面写满心里话的留言墙。"
        "海棠先锋志愿者轮流值守。",
        {d: parse_day("08:00-12:00, 13:30-21:00") for d in range(7)},
        [
            "microwave",
            "kettle",
            "tables",
            "heating",
            "hot_drinks",
            "charging",
            "toilet",
            "medicine",
            "books",
            "wall",
        ],
        ["courier", "rider", "sanitation", "resident", "other"],
        {"courier": 8, "rider": 12, "sanitation": 5, "resident": 4, "other": 2},
        "fuyuan",
    ),
]
# The busier hours of a day: lunch and supper for the riders, early morning for sweepers.
PEAKS = {
    "courier": [10, 11, 15, 16],
    "rider": [11, 12, 17, 18, 19],
    "sanitation": [7, 8, 13, 14],
    "resident": [9, 10, 15, 19],
    "other": [10, 14, 16],
}
REFLECTIONS = [
    ("冬天能在这里喝口热水、暖暖手,心里真暖和。", "一位外卖小哥"),
    ("送完午高峰在这里热个饭,谢谢社区!", "美团骑手"),
    ("手机快没电的时候找到这里,救急了。", ""),
    ("凌晨扫完马路能进来歇歇脚,感谢志愿者。", "环卫老张"),
    ("药箱里的创可贴帮了大忙。", ""),
    ("借了一本《平凡的世界》,等单的时候看。", "顺丰小哥"),
    ("下雨天有个地方躲雨,太好了。", ""),
    ("志愿者阿姨每天都笑眯眯的,谢谢!", "一位快递员"),
    ("希望夏天能加个电风扇。", ""),
    ("这里像家一样。", "饿了么骑手"),
    ("加我微信领优惠券 13912345678", ""),  # hidden by the volunteer: an advert
    ("谢谢你们,让我们在这座城市有个落脚的地方。", ""),
]


def _visits(station: Station, rng: random.Random, per_day: dict[str, int], today: date) -> list:
    weekly = station.weekly()
    rows = []
    for offset in range(365):
        day = today - timedelta(days=offset)
        hours = day_hours(day, weekly, {})
        if not hours:
            continue
        winter = day.month in (12, 1, 2)  # more come in for the warmth
        for kind, mean in per_day.items():
            n = max(0, round(rng.gauss(mean * (1.3 if winter else 1.0), mean / 3)))
            for _ in range(n):
                start, end = rng.choice(hours)
                peaks = [h * 60 for h in PEAKS[kind] if start <= h * 60 < end]
                minute = (
                    rng.choice(peaks) + rng.randint(0, 59)
                    if peaks and rng.random() < 0.6
                    else rng.randint(start, end - 1)
                )
                at = datetime.combine(day, time(minute // 60, minute % 60), TZ)
                if offset == 0 and at > datetime.now(TZ):
                    continue
                rows.append(StationVisit(station=station, kind=kind, at=at))
    return rows


def load_stations() -> dict[str, int]:
    if Station.objects.exists():
        return {}
    rng = random.Random(SEED)
    today = datetime.now(TZ).date()
    created = {"stations": 0, "station_visits": 0, "reflections": 0}
    for code, name, address, text, weekly, amenities, serves, per_day, manager in STATIONS:
        community = Region.objects.filter(code=code).first()
        if community is None:
            continue
        grid = Region.objects.grids().filter(parent=community).order_by("code").first()
        centre = grid or community
        station = Station.objects.create(
            community=community,
            grid=grid,
            name=name,
            lat=round((centre.center_lat or 31.3) + 0.0004, 6),
            lon=round((centre.center_lon or 120.6) + 0.0003, 6),
            address=address,
            description=text,
            hours=weekly_to_json(weekly),
            amenities=amenities,
            serves=serves,
            manager=User.objects.filter(username=manager).first() if manager else None,
        )
        created["stations"] += 1
        mine = Pioneer.objects.filter(grid__parent=community, active=True)
        # The pioneers with a login first: the `yizhan` login takes duty at 元气加油站.
        pioneers = list(mine.filter(user__isnull=False)) + list(
            mine.filter(user__isnull=True).order_by("code")[:3]
        )
        StationVolunteer.objects.bulk_create(
            [StationVolunteer(station=station, pioneer=p) for p in pioneers]
        )
        HoursException.objects.create(
            station=station,
            date=date(today.year + 1, 1, 1),
            intervals=[[600, 960]],
            note="元旦 10:00–16:00",
        )
        visits = _visits(station, rng, per_day, today)
        StationVisit.objects.bulk_create(visits, batch_size=2000)
        created["station_visits"] += len(visits)
        for i, (words, signature) in enumerate(rng.sample(REFLECTIONS, 9)):
            hidden = "优惠券" in words
            status = (
                ReflectionStatus.HIDDEN
                if hidden
                else ReflectionStatus.PENDING
                if i < 2
                else ReflectionStatus.APPROVED
            )
            reflection = Reflection.objects.create(
                station=station, text=words, signature=signature, status=status
            )
            posted = datetime.combine(today - timedelta(days=3 * i + 1), time(12 + i % 8), TZ)
            Reflection.objects.filter(pk=reflection.pk).update(
                created_at=posted,
                moderated_at=None if status == ReflectionStatus.PENDING else posted,
            )
            created["reflections"] += 1
    return created
