"""Demo cadre development, as on the newspaper page: 苏锦街道's young cadres (the street's
offices and its four communities) with their posts, two training programmes, front-line
postings, commendations and two assessment rounds under the "1+3+2" scheme — 2025年度
closed and ranked, 2026年上半年 open with part of its scores. The `sujin` login is the
street's organisation office. Deterministic, loaded once; bulk-created (the history is
not audited row by row; the rounds' steps go through the services, audited)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from genxi.cadres import services
from genxi.cadres.models import (
    Attendance,
    Cadre,
    CadrePost,
    Commendation,
    Course,
    Posting,
    Programme,
    Score,
)
from genxi.cases.models import Case
from genxi.cobuild.models import Project
from genxi.people.models import User
from genxi.regions.models import Level, Region

from .names import mobile, person_name

SEED = 1108
STREET = "320508011000"  # 苏锦街道
OFFICE_LOGIN = "sujin"
# (post, in a community (True) or the street's offices)
POSTS = [
    ("党建办科员", False),
    ("社会事业局科员", False),
    ("城市管理办科员", False),
    ("综合执法队员", False),
    ("社区党委副书记", True),
    ("社区居委会副主任", True),
    ("社区网格长", True),
    ("社区专职党务工作者", True),
    ("社区综治专干", True),
    ("社区民生服务专干", True),
]
PROGRAMMES = [
    (
        "2025年度青年干部“墩苗”培训班",
        "苏锦街道党工委",
        date(2025, 4, 7),
        [
            ("习近平新时代中国特色社会主义思想专题", "党工委书记", 3),
            ("群众工作方法与接诉即办", "街道社会事业局", 3),
            ("网格化治理实务", "区委政法委", 2.5),
            ("矛盾纠纷调解技巧", "司法所", 2),
            ("红色教育现场教学", "苏州革命博物馆", 4),
        ],
    ),
    (
        "2026年青年干部“一线淬炼”提升班",
        "苏锦街道组织办",
        date(2026, 3, 2),
        [
            ("基层治理创新案例研讨", "区委党校", 3),
            ("共建资源对接与项目化运作", "街道党建办", 2.5),
            ("应急处置与安全生产", "街道安监办", 2),
            ("公文写作与调研方法", "区委办", 3),
        ],
    ),
]
ROLES = {"community": "社区书记助理", "grid": "网格指导员", "case_team": "专班成员",
         "project": "项目联络人"}  # fmt: skip
ACHIEVEMENTS = {
    "community": "驻点社区,走访居民 {n} 户,收集诉求 {m} 条,推动解决老旧小区加装电梯难题。",
    "grid": "驻点网格,建立“邻里议事会”,化解邻里纠纷 {m} 起,走访 {n} 户。",
    "case_team": "参与诉求专班,{m} 件积案全部办结,群众满意率明显提升。",
    "project": "牵头协调共建单位 {m} 家,完成楼道微更新 {n} 处。",
}


def load_cadres() -> dict[str, int]:
    street = Region.objects.filter(code=STREET).first()
    office = User.objects.filter(username=OFFICE_LOGIN).first()
    if (
        street is None
        or office is None
        or Cadre.objects.filter(unit__path__startswith=street.path).exists()
    ):
        return {}
    rng = random.Random(SEED)
    communities = list(Region.objects.filter(parent=street, level=Level.COMMUNITY).order_by("code"))
    grids = list(Region.objects.filter(parent__in=communities, level=Level.GRID).order_by("code"))
    cadres: list[Cadre] = []
    for i in range(16):
        post, in_community = POSTS[i % len(POSTS)]
        unit = communities[i % len(communities)] if in_community else street
        name = person_name(rng)
        cadres.append(
            Cadre(
                unit=unit,
                name=name,
                gender=rng.choice(["male", "female"]),
                birth_year=rng.randint(1990, 2000),
                phone=mobile(rng),
                post=post if not in_community else post,
            )
        )
    cadres = Cadre.objects.bulk_create(cadres)
    # The grid worker with a login in 苏锦一村 is one of the cadres: his record shows the
    # cases he handled, and he can read it himself.
    linked = User.objects.filter(username=f"gw{communities[0].code[-6:]}").first()
    if linked is not None and not Cadre.objects.filter(user=linked).exists():
        first = next(c for c in cadres if c.unit_id == communities[0].pk)
        first.user = linked
        first.save(update_fields=["user"])
    CadrePost.objects.bulk_create(
        [
            CadrePost(cadre=c, post="社区工作者" if c.unit_id != street.pk else "科员", unit=c.unit,
                      starts=date(2019 + i % 3, 7, 1), ends=date(2022 + i % 2, 2, 28))
            for i, c in enumerate(cadres)
        ]
        + [
            CadrePost(cadre=c, post=c.post, unit=c.unit, starts=date(2022 + i % 2, 3, 1))
            for i, c in enumerate(cadres)
        ]
    )  # fmt: skip
    hours = 0.0
    attendances: list[Attendance] = []
    for title, organiser, starts, courses in PROGRAMMES:
        programme = Programme.objects.create(
            street=street,
            title=title,
            organiser=organiser,
            starts=starts,
            ends=starts + timedelta(days=7 * len(courses)),
            description="面向 35 岁以下青年干部,理论学习与一线实践相结合。",
        )
        made = Course.objects.bulk_create(
            [
                Course(programme=programme, title=t, teacher=who, hours=Decimal(str(h)),
                       day=starts + timedelta(days=7 * k))
                for k, (t, who, h) in enumerate(courses)
            ]
        )  # fmt: skip
        for course in made:
            for cadre in cadres:
                if rng.random() < 0.85:
                    attendances.append(Attendance(course=course, cadre=cadre))
                    hours += float(course.hours)
    Attendance.objects.bulk_create(attendances)
    cases = list(Case.objects.filter(region__path__startswith=street.path).order_by("id")[:8])
    projects = list(
        Project.objects.filter(community__path__startswith=street.path).order_by("id")[:4]
    )
    postings: list[Posting] = []
    for i, cadre in enumerate(cadres):
        kind = ("grid", "community", "case_team", "project")[i % 4]
        if (kind == "case_team" and not cases) or (kind == "project" and not projects):
            kind = "community"
        place = (
            rng.choice(grids)
            if kind == "grid"
            else rng.choice(communities)
            if kind == "community"
            else None
        )
        starts = date(2025, 3, 1) + timedelta(days=30 * (i % 6))
        postings.append(
            Posting(
                cadre=cadre,
                kind=kind,
                place=place,
                case=cases[i % len(cases)] if kind == "case_team" else None,
                project=projects[i % len(projects)] if kind == "project" else None,
                starts=starts,
                ends=starts + timedelta(days=90) if i % 3 else None,
                role=ROLES[kind],
                achievements=ACHIEVEMENTS[kind].format(
                    n=rng.randint(40, 200), m=rng.randint(3, 12)
                ),
            )
        )
    Posting.objects.bulk_create(postings)
    Commendation.objects.bulk_create(
        [
            Commendation(cadre=cadres[1], title="优秀共产党员", level="street", awarded_on=date(2025, 6, 28), issuer="苏锦街道党工委"),
            Commendation(cadre=cadres[4], title="姑苏区优秀青年干部", level="district", awarded_on=date(2025, 12, 20), issuer="中共姑苏区委组织部"),
            Commendation(cadre=cadres[7], title="苏州市优秀网格员", level="city", awarded_on=date(2025, 11, 8), issuer="苏州市委政法委"),
        ]
    )  # fmt: skip
    rounds = _rounds(office, street, cadres, rng)
    return {
        "cadres": len(cadres),
        "training_hours": int(hours),
        "postings": len(postings),
        "assessment_rounds": rounds,
    }


def _rounds(office: User, street: Region, cadres: list[Cadre], rng: random.Random) -> int:
    """2025年度 (closed, ranked) and 2026年上半年 (open, part scored)."""
    closed = services.round_plan(
        actor=office, street=street, title="2025年度青年干部综合考核", period="2025年度",
        cadres=cadres,
    )  # fmt: skip
    closed = services.round_open(actor=office, round_=closed)
    _scores(closed, cadres, rng, office, share=1.0)
    services.round_close(actor=office, round_=closed)
    current = services.round_plan(
        actor=office, street=street, title="2026年上半年青年干部综合考核", period="2026年上半年",
        cadres=cadres,
    )  # fmt: skip
    current = services.round_open(actor=office, round_=current)
    _scores(current, cadres, rng, office, share=0.5)
    return 2


def _scores(round_, cadres, rng: random.Random, office: User, share: float) -> None:
    scheme = services.round_scheme(round_)
    rows = []
    for cadre in cadres[: max(1, int(len(cadres) * share))]:
        level = rng.uniform(72, 92)
        for dim in scheme.dimensions:
            for scorer, weight in scheme.scorers.items():
                if weight <= 0:
                    continue
                bias = 4 if scorer == "self" else 0
                value = min(100.0, max(0.0, rng.gauss(level + bias, 4)))
                rows.append(
                    Score(round=round_, cadre=cadre, scorer=scorer, dimension=dim.key,
                          value=Decimal(str(round(value * 2) / 2)), entered_by=office,
                          evidence=dim.evidence if scorer == "leader" else "")
                )  # fmt: skip
    Score.objects.bulk_create(rows)
