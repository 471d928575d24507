"""Demo service stations (驿站), as on the newspaper page: the sampling booths of 虎丘街道's
观景 and 仁安 communities turned rest stops, and 富元社区's “元气加油站” — with hours, duty
volunteers (the `yizhan` login is one), a year of visits and a reflections wall, a duty roster
(a few shifts in the next two days left unstaffed), a stocked medicine box (some batches near
expiry, one expired) and a shelf of books with a year of loans (some overdue). Loaded once,
in bulk."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from genxi.people.models import Pioneer, User
from genxi.regions.models import Region
from genxi.stations.domain import roster
from genxi.stations.domain.hours import TZ, day_hours, parse_day, weekly_to_json
from genxi.stations.domain.isbn import check_digit_13
from genxi.stations.models import (
    Book,
    BookCopy,
    BookLoan,
    DutyShift,
    HoursException,
    MedicineItem,
    MedicineMove,
    MoveKind,
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
        created["station_photos"] = created.get("station_photos", 0) + _pictures(station)
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
        volunteers = list(Pioneer.objects.filter(pk__in=[p.pk for p in pioneers]))
        for key, n in _supplies(station, rng, volunteers, today).items():
            created[key] = created.get(key, 0) + n
    return created


# The duty roster, the medicine box and the books -------------------------------------------

SHIFTS = {d: parse_day("08:00-12:00, 12:00-16:00, 16:00-20:00") for d in range(7)}
# (name, unit, minimum, batches as (days to expiry, quantity)); one expired, some near
MEDICINES = [
    ("创可贴", "片", 20, [(400, 60), (20, 15)]),
    ("碘伏棉签", "包", 5, [(300, 8)]),
    ("医用纱布", "卷", 3, [(500, 4)]),
    ("藿香正气水", "支", 10, [(12, 6), (250, 20)]),
    ("风油精", "瓶", 2, [(-5, 2), (180, 3)]),  # one batch expired: not offered
    ("清凉油", "盒", 2, [(600, 5)]),
    ("布洛芬缓释胶囊", "盒", 2, [(25, 2)]),
    ("医用口罩", "只", 50, [(700, 40)]),
    ("暖宝宝", "贴", 20, [(365, 50)]),
    ("晕车贴", "贴", 5, [(200, 4)]),
]
BOOKS = [
    ("平凡的世界", "路遥"),
    ("活着", "余华"),
    ("围城", "钱锺书"),
    ("骆驼祥子", "老舍"),
    ("边城", "沈从文"),
    ("红高粱家族", "莫言"),
    ("白鹿原", "陈忠实"),
    ("三体", "刘慈欣"),
    ("人世间", "梁晓声"),
    ("许三观卖血记", "余华"),
    ("朝花夕拾", "鲁迅"),
    ("呐喊", "鲁迅"),
    ("城南旧事", "林海音"),
    ("家", "巴金"),
    ("茶馆", "老舍"),
    ("额尔古纳河右岸", "迟子建"),
    ("长恨歌", "王安忆"),
    ("繁花", "金宇澄"),
    ("撒哈拉的故事", "三毛"),
    ("文化苦旅", "余秋雨"),
    ("我与地坛", "史铁生"),
    ("穆斯林的葬礼", "霍达"),
    ("尘埃落定", "阿来"),
    ("秦腔", "贾平凹"),
    ("主角", "陈彦"),
    ("牵风记", "徐怀中"),
    ("北上", "徐则臣"),
    ("应物兄", "李洱"),
    ("人生", "路遥"),
    ("受戒", "汪曾祺"),
    ("人间草木", "汪曾祺"),
    ("雷雨", "曹禺"),
    ("子夜", "茅盾"),
    ("四世同堂", "老舍"),
    ("浮生六记", "沈复"),
    ("苏州园林", "陈从周"),
    ("姑苏繁华图", "徐扬"),
    ("苏州杂志选", "陆文夫"),
    ("美食家", "陆文夫"),
    ("吴门烟雨", "范小青"),
    ("做个快乐的骑手", "佚名"),
    ("家常菜谱大全", "本书编委会"),
    ("急救常识手册", "红十字会"),
    ("中华上下五千年", "林汉达"),
    ("唐诗三百首", "蘅塘退士"),
    ("宋词三百首", "上彊村民"),
    ("小王子", "圣埃克苏佩里"),
    ("老人与海", "海明威"),
    ("追风筝的人", "胡赛尼"),
    ("解忧杂货店", "东野圭吾"),
    ("百年孤独", "马尔克斯"),
    ("月亮与六便士", "毛姆"),
    ("明朝那些事儿", "当年明月"),
    ("万历十五年", "黄仁宇"),
    ("乡土中国", "费孝通"),
    ("苏东坡传", "林语堂"),
    ("人类简史", "赫拉利"),
    ("时间简史", "霍金"),
    ("昆虫记", "法布尔"),
    ("钢铁是怎样炼成的", "奥斯特洛夫斯基"),
]
READERS = [
    "王师傅",
    "李阿姨",
    "张小哥",
    "刘大姐",
    "陈师傅",
    "赵同学",
    "孙阿姨",
    "周师傅",
    "吴小哥",
    "郑大爷",
    "冯师傅",
    "何阿姨",
]


def _isbn(rng: random.Random) -> str:
    first12 = "9787" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return first12 + check_digit_13(first12)


def _supplies(
    station: Station, rng: random.Random, volunteers: list[Pioneer], today: date
) -> dict[str, int]:
    """The station's roster (four weeks back, two ahead), medicine box and books."""
    now = datetime.now(TZ)
    station.duty = weekly_to_json(SHIFTS)
    station.save(update_fields=["duty"])
    shifts = []
    if volunteers:
        for shift in roster.expand(
            today - timedelta(days=28), today + timedelta(days=13), SHIFTS, {}
        ):
            soon = shift.starts_at() - now
            # In the next 48 hours one shift in four is left for the warning to find.
            if timedelta(0) < soon < timedelta(hours=48) and rng.random() < 0.25:
                continue
            if shift.day > today + timedelta(days=2) and rng.random() < 0.4:
                continue  # later weeks still filling up
            shifts.append(
                DutyShift(
                    station=station,
                    date=shift.day,
                    start=shift.start,
                    end=shift.end,
                    pioneer=rng.choice(volunteers),
                )
            )
        DutyShift.objects.bulk_create(shifts)
    items, moves = [], []
    for name, unit, minimum, batches in MEDICINES:
        for n, (days, quantity) in enumerate(batches):
            items.append(
                MedicineItem(
                    station=station,
                    name=name,
                    unit=unit,
                    batch=f"{today.year % 100:02d}{rng.randint(1000, 9999)}{n}",
                    expiry=today + timedelta(days=days),
                    quantity=quantity,
                    minimum=minimum,
                )
            )
    MedicineItem.objects.bulk_create(items)
    for item in items:
        stocked = datetime.combine(today - timedelta(days=rng.randint(30, 120)), time(10), TZ)
        moves.append(
            MedicineMove(item=item, kind=MoveKind.IN, quantity=item.quantity + 3, at=stocked)
        )
        moves.append(
            MedicineMove(
                item=item,
                kind=MoveKind.OUT,
                quantity=3,
                note=rng.choice(["骑手擦伤", "环卫工人中暑", "", "居民头痛"]),
                at=stocked + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 8)),
            )
        )
    MedicineMove.objects.bulk_create(moves)
    titles = rng.sample(BOOKS, len(BOOKS) if station.name == "元气加油站" else 50)
    books = [
        Book(station=station, title=t, author=a, isbn=_isbn(rng) if rng.random() < 0.8 else "")
        for t, a in titles
    ]
    Book.objects.bulk_create(books)
    copies = [
        BookCopy(book=b, number=n) for b in books for n in range(1, rng.choice([1, 1, 2, 3]) + 1)
    ]
    BookCopy.objects.bulk_create(copies)
    loans = []
    for copy in copies:
        day = today - timedelta(days=rng.randint(120, 365))
        while day < today - timedelta(days=3):
            lent = datetime.combine(day, time(rng.randint(9, 19), rng.randint(0, 59)), TZ)
            due = day + timedelta(days=30)
            back = day + timedelta(days=rng.randint(5, 40))
            reader = rng.choice(READERS)
            contact = f"139{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else ""
            if back >= today:  # still out: some overdue
                loans.append(
                    BookLoan(copy=copy, borrower=reader, contact=contact, lent_at=lent, due=due)
                )
                break
            loans.append(
                BookLoan(
                    copy=copy,
                    borrower=reader,
                    contact=contact,
                    lent_at=lent,
                    due=due,
                    returned_at=datetime.combine(back, time(rng.randint(9, 19)), TZ),
                )
            )
            day = back + timedelta(days=rng.randint(10, 90))
    BookLoan.objects.bulk_create(loans, batch_size=1000)
    return {
        "duty_shifts": len(shifts),
        "medicine_items": len(items),
        "books": len(books),
        "book_copies": len(copies),
        "book_loans": len(loans),
    }


def _pictures(station: Station) -> int:
    """Two drawn pictures for the station's public page (the demo has no photographs): its
    front with its name, and the rest area with what it offers."""
    from django.core.files.base import ContentFile

    from genxi.stations.models import StationPhoto

    from .pictures import drawn, jpeg

    made = 0
    for caption, colour in (("驿站外景", (196, 61, 48)), ("休息区", (64, 120, 170))):
        image = drawn(station.name, caption, colour)
        full = jpeg(image)
        image.thumbnail((320, 320))
        thumb = jpeg(image, quality=75)
        photo = StationPhoto(station=station, width=800, height=600, caption=caption)
        photo.image.save(f"demo-{station.pk}-{made}.jpg", ContentFile(full), save=False)
        photo.thumbnail.save(f"demo-{station.pk}-{made}_t.jpg", ContentFile(thumb), save=False)
        photo.save()
        made += 1
    return made
