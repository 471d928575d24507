"""`genxi load_demo --scale city`: a synthetic Suzhou at city size, loaded with COPY.

The tree: 10 districts, 10 streets each, 10 communities per street, 10 grids per community
(10,000 grids); a million residents; any number of cases (`--cases`). PostgreSQL only: the
rows go in by `COPY … FREEZE` (psycopg's `cursor.copy()`) with the tables' secondary
indexes and constraints set aside and built again after; the case roll-ups are rebuilt in
SQL from the cases. One transaction: a load that fails leaves nothing, and a second load
is refused (the database holds regions). Deterministic (fixed seed). Decision 0037.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from genxi.cases import rollups
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.core import audit, pii
from genxi.core.roles import Role
from genxi.people.domain.idcard import make_id_number
from genxi.people.models import User
from genxi.people.services import membership_grant
from genxi.regions.models import Region

from ..case_texts import PLACES, TEMPLATES, generate
from ..loader import PASSWORD
from ..names import mobile, person_name
from . import rollup_sql
from .bulk import copy_lines, indexes_set_aside, truncate_empty

SEED = 20261203
CITY = ("320500000000", "苏州市", 31.30, 120.62)
DISTRICTS = [
    ("320508", "姑苏区"),
    ("320505", "虎丘区"),
    ("320506", "吴中区"),
    ("320507", "相城区"),
    ("320509", "吴江区"),
    ("320571", "苏州工业园区"),
    ("320581", "常熟市"),
    ("320582", "张家港市"),
    ("320583", "昆山市"),
    ("320585", "太仓市"),
]
STEMS = [
    "金阊",
    "平江",
    "沧浪",
    "双塔",
    "虎丘",
    "留园",
    "白洋湾",
    "石路",
    "枫桥",
    "横塘",
    "狮山",
    "浒墅关",
    "通安",
    "东渚",
    "长桥",
    "越溪",
    "郭巷",
    "甪直",
    "木渎",
    "胥口",
    "元和",
    "黄桥",
    "北桥",
    "渭塘",
    "望亭",
    "松陵",
    "盛泽",
    "震泽",
    "平望",
    "黎里",
    "娄葑",
    "斜塘",
    "唯亭",
    "胜浦",
    "湖西",
    "湖东",
    "虞山",
    "琴川",
    "梅李",
    "海虞",
    "杨舍",
    "塘桥",
    "金港",
    "锦丰",
    "玉山",
    "周市",
    "陆家",
    "花桥",
    "城厢",
    "沙溪",
    "浏河",
    "璜泾",
    "彩香",
    "三元",
    "桐泾",
    "吴门",
    "南环",
    "友新",
    "新庄",
    "广济",
    "南浩",
    "观景",
    "仁安",
    "桃花坞",
    "运河",
    "西园",
    "寒山",
]
# The users of the city: a street admin and a grid worker (the benchmark's two viewers), a
# community worker and the system admin; all with the demo's password.
USERS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, None),
    ("street", "街道管理员(城市规模)", Role.STREET_ADMIN, "street"),
    ("community", "社区工作者(城市规模)", Role.COMMUNITY_WORKER, "community"),
    ("grid", "网格员(城市规模)", Role.GRID_WORKER, "grid"),
]
CHANNELS = ["phone"] * 5 + ["pioneer_visit"] * 3 + ["public_form"] * 2 + ["walk_in", "proactive"]
# A rare phrase in about one case of 100,000: the benchmark's rare two-character search.
RARE = "窨井盖被盗"
RARE_EVERY = 100_000
CASE_COLUMNS = [
    "created_at",
    "updated_at",
    "code",
    "channel",
    "reporter_name",
    "reporter_contact",
    "title",
    "text",
    "lat",
    "lon",
    "address",
    "place_key",
    "urgency",
    "tags",
    "state",
    "flagged",
    "respond_by",
    "resolve_by",
    "responded_at",
    "resolved_at",
    "closed_at",
    "returns",
    "extensions",
    "reworks",
    "result",
    "rating",
    "rating_comment",
    "region_id",
    "category_id",
    "secret_digest",
    "level",
    "handler_id",
]
RESIDENT_COLUMNS = [
    "created_at",
    "updated_at",
    "name",
    "phone",
    "id_number",
    "id_number_digest",
    "address",
    "building",
    "tags",
    "legal_basis",
    "note",
    "grid_id",
]
N = r"\N"
# A grid is a square of GRID_STEP degrees around its centre (about 110 × 95 m here), its
# community's grids side by side; the communities, streets and districts are laid out far
# enough apart that no two grids overlap, so every case point lies in its own grid and the
# intake can place a point (regions.selectors.locate) as it does in the demo.
GRID_STEP = 0.001


def grid_outline(lat: float, lon: float) -> str:
    """The grid's square as GeoJSON (WGS-84, [lon, lat]), as COPY text."""
    h = GRID_STEP / 2
    ring = [(lon - h, lat - h), (lon + h, lat - h), (lon + h, lat + h), (lon - h, lat + h)]
    ring.append(ring[0])
    points = ",".join(f"[{x:.6f},{y:.6f}]" for x, y in ring)
    return f'{{"type":"Polygon","coordinates":[[{points}]]}}'


@dataclass(frozen=True)
class Size:
    districts: int = 10
    streets: int = 10  # per district
    communities: int = 10  # per street
    grids: int = 10  # per community
    residents: int = 1_000_000
    cases: int = 1_000_000
    days: int = 1095  # cases received over the last three years


class Say:
    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.phases: dict[str, float] = {}

    def __call__(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)
            self.stdout.flush()

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        took = time.perf_counter() - started
        self.phases[phase.strip()] = round(took, 1)
        self(f"{phase}: {took:.1f} s")


def _seal(values: list[str]) -> list[tuple[str, str]]:
    """(ciphertext, blind index) of each value: the PII mechanism's own functions, run in
    a worker of the pool."""
    return [(pii.encrypt(v), pii.digest(v)) for v in values]


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class CityLoader:
    def __init__(self, size: Size, stdout=None, workers: int = 2) -> None:
        self.size = size
        self.say = Say(stdout)
        self.workers = workers
        self.rng = random.Random(SEED)

    # Guard -----------------------------------------------------------------------------

    def refuse(self) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "--scale city needs PostgreSQL (it loads with COPY); DATABASE_URL points to "
                f"{connection.vendor}."
            )
        if Region.objects.exists():
            raise CommandError(
                "The database holds regions already (the demo, or a city loaded before): "
                "--scale city loads once, into an empty migrated database."
            )

    # Regions ---------------------------------------------------------------------------

    def load_regions(self, cursor) -> dict[str, list[tuple[int, str, str, float, float]]]:
        """The tree, level by level (COPY, then the ids read back); returns the grids:
        (id, path, district code, lat, lon) in code order, and the communities."""
        size, rng = self.size, self.rng
        now = timezone.now().isoformat()
        code, name, lat0, lon0 = CITY
        root = [(code, name, "city", None, f"/{code}/", lat0, lon0)]
        rows: list[tuple] = list(root)
        streets, communities, grids = [], [], []
        stems = iter(rng.sample(STEMS, len(STEMS)) * 1000)
        for d, (d6, d_name) in enumerate(DISTRICTS[: size.districts]):
            d_code = f"{d6}000000"
            d_path = f"/{code}/{d_code}/"
            d_lat, d_lon = lat0 + (d % 4 - 1.5) * 0.12, lon0 + (d // 4 - 1) * 0.15
            rows.append((d_code, d_name, "district", code, d_path, d_lat, d_lon))
            for s in range(1, size.streets + 1):
                s_code = f"{d6}{s:03d}000"
                s_path = f"{d_path}{s_code}/"
                s_lat, s_lon = d_lat + (s % 5) * 0.02, d_lon + (s // 5) * 0.02
                streets.append(
                    (s_code, f"{next(stems)}街道", "street", d_code, s_path, s_lat, s_lon)
                )
                for c in range(1, size.communities + 1):
                    c_code = f"{s_code[:9]}{c:03d}"
                    c_path = f"{s_path}{c_code}/"
                    c_lat, c_lon = s_lat + (c % 4) * 0.004, s_lon + (c // 4) * 0.004
                    c_name = f"{next(stems)}{rng.choice(['一村', '二村', '花园', '新村', ''])}社区"
                    # Its centre (and its own cases' points) at its fourth grid's centre, inside
                    # that grid when it has four (the city has ten; a test city may have fewer).
                    communities.append(
                        (
                            c_code,
                            c_name,
                            "community",
                            s_code,
                            c_path,
                            c_lat + GRID_STEP,
                            c_lon + GRID_STEP,
                        )
                    )
                    for g in range(1, size.grids + 1):
                        g_code = f"{c_code}{g:03d}"
                        g_lat, g_lon = c_lat + (g % 3) * GRID_STEP, c_lon + (g // 3) * GRID_STEP
                        grids.append(
                            (
                                g_code,
                                f"第{g}网格",
                                "grid",
                                c_code,
                                f"{c_path}{g_code}/",
                                g_lat,
                                g_lon,
                            )
                        )
        ids: dict[str, int] = {}
        for level_rows in (rows[:1], rows[1:], streets, communities, grids):
            lines = "".join(
                f"{now}\t{now}\t{level}\t{code_}\t{name_}\t{path}\t{lat:.6f}\t{lon:.6f}\t"
                f"{ids[parent] if parent else N}\t{rng.randint(180, 520) if level == 'grid' else N}"
                f"\t\t\t{grid_outline(lat, lon) if level == 'grid' else N}\n"
                for code_, name_, level, parent, path, lat, lon in level_rows
            )
            copy_lines(
                cursor,
                "regions_region",
                [
                    "created_at",
                    "updated_at",
                    "level",
                    "code",
                    "name",
                    "path",
                    "center_lat",
                    "center_lon",
                    "parent_id",
                    "households",
                    "service_hours",
                    "service_phone",
                    "geometry",
                ],
                [lines],
                freeze=False,
            )
            cursor.execute(
                "SELECT code, id FROM regions_region WHERE code = ANY(%s)",
                [[r[0] for r in level_rows]],
            )
            ids.update(cursor.fetchall())
        return {
            "grids": [(ids[g[0]], g[4], g[0][:6], g[5], g[6]) for g in grids],
            "communities": [(ids[c[0]], c[4], c[0][:6], c[5], c[6]) for c in communities],
            "streets": [(ids[s[0]], s[4], s[0][:6], s[5], s[6]) for s in streets],
        }

    # Residents -------------------------------------------------------------------------

    def resident_chunks(self, grids, pool) -> Iterator[str]:
        """Lines of residents: names from a pool, phones and addresses from pools of
        encrypted values (distinct ciphertexts, reused), each ID number its own (encrypted,
        with its blind index), made by the workers of `pool`."""
        size, rng = self.size, random.Random(SEED + 1)
        now = timezone.now().isoformat()
        names = [person_name(rng) for _ in range(5000)]
        phones = [c for c, _d in _seal([mobile(rng) for _ in range(2000)])]
        places = [
            f"{rng.choice(PLACES)}{b}幢{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
            for b in range(1, 41)
            for _ in range(50)
        ]
        addresses = [c for c, _d in _seal(places)]
        born0 = date(1935, 1, 1)
        span = (date(2006, 12, 31) - born0).days
        per_grid = max(1, size.residents // len(grids))
        chunk = 20_000
        numbers = []
        homes = []
        for j in range(size.residents):
            grid_id, _path, d6, _lat, _lon = grids[(j // per_grid) % len(grids)]
            # Unique by construction: (district, birthday, sequence) differ for each j.
            born = born0 + timedelta(days=j % span)
            numbers.append(make_id_number(d6, born, j // span))
            homes.append(grid_id)
        batches = [numbers[i : i + chunk] for i in range(0, len(numbers), chunk)]
        j = 0
        for sealed in pool.imap(_seal, batches):
            lines = []
            for token, digest in sealed:
                r = rng.getrandbits(32)
                lines.append(
                    f"{now}\t{now}\t{names[r % 5000]}\t{phones[r % 2000] if r % 10 else ''}"
                    f"\t{token}\t{digest}\t{addresses[r % 2000]}\t{r % 40 + 1}幢\t[]"
                    f"\tpublic_duty\t\t{homes[j]}\n"
                )
                j += 1
            yield "".join(lines)

    # Cases -----------------------------------------------------------------------------

    def case_texts(self) -> dict[int, list[tuple[str, str]]]:
        """A pool of (title, text) per leaf category: 200 each, from the demo's templates."""
        rng = random.Random(SEED + 2)
        by_code = dict(Category.objects.values_list("code", "id"))
        pool: dict[int, list[tuple[str, str]]] = {}
        for code in TEMPLATES:
            texts = []
            for _ in range(200):
                text = _copy_text(generate(rng, code))
                title = text.split(",")[0][:30]
                texts.append((title, text))
            pool[by_code[code]] = texts
        return pool

    def case_chunks(self, places, handler_of, texts) -> Iterator[str]:
        """Lines of cases, received over the last `days` days (the newest yesterday); the
        older ones closed mostly, the last month's in every state."""
        size = self.size
        rng = random.Random(SEED + 3)
        categories = sorted(texts)
        tz = timezone.get_current_timezone()
        today = timezone.localdate()
        first = today - timedelta(days=size.days)
        day_text = [
            (first + timedelta(days=k)).isoformat() for k in range(size.days + 40)
        ]  # k = 0 … days - 1 received; up to 40 days on for the deadlines
        offset = datetime.now(tz).strftime("%z")
        last = size.days - 1  # yesterday: nothing is resolved or closed in the future
        minute_text = [f"{m // 60:02d}:{m % 60:02d}:00{offset}" for m in range(1440)]

        def at(k: int, minute: int) -> str:
            k += minute // 1440
            return f"{day_text[k]} {minute_text[minute % 1440]}"

        place_text = [
            (f"{lat + (i % 7 - 3) * 0.0001:.5f}", f"{lon + (i % 5 - 2) * 0.0001:.5f}", str(pk))
            for i, (pk, _p, _d, lat, lon) in enumerate(places)
        ]
        n_places, n_cats = len(place_text), len(categories)
        recent = ["submitted", "accepted", "dispatched", "dispatched", "in_progress"]
        recent += ["in_progress", "in_progress", "resolved", "resolved", "verified"]
        recent += ["closed"] * 9 + ["rejected"]
        ratings = ["satisfied"] * 12 + ["basically"] * 5 + ["unsatisfied"] * 3
        ratings += [""] * 8
        chunk = 50_000
        lines: list[str] = []
        for i in range(1, size.cases + 1):
            r = rng.getrandbits(63)
            k = r % size.days
            r //= size.days
            minute = r % 1440
            r //= 1440
            age = size.days - 1 - k
            if age <= 30:
                state = recent[r % 20]
            else:
                s = r % 1000
                state = "closed" if s < 965 else "rejected" if s < 995 else "in_progress"
            r //= 1000
            place = place_text[r % n_places]
            r = rng.getrandbits(63)
            category = categories[r % n_cats]
            r //= n_cats
            title, text = texts[category][r % 200]
            r //= 200
            if i % RARE_EVERY == 7:
                text = f"{text},{RARE}"
            resolve_days = 3 + r % 5
            r //= 5
            created = at(k, minute)
            responded = at(k, minute + 30 + r % 300) if state != "submitted" else N
            r //= 300
            resolved = closed = N
            if state in ("resolved", "verified", "closed"):
                day = min(k + 1 + r % 4, last)
                resolved = at(day, minute + (60 if day == k else 0))
            if state in ("closed", "rejected"):
                day = min(k + 2 + r % 4, last)
                closed = at(day, minute + (120 if day == k else 0))
            r //= 4
            rating = ratings[r % 28] if state == "closed" else ""
            r //= 28
            flagged = "t" if r % 100 == 0 else "f"
            r //= 100
            level = ("grid", "community", "community", "community", "street")[r % 5]
            r //= 5
            channel = CHANNELS[r % 12]
            r //= 12
            handler = N
            if state in ("dispatched", "in_progress"):
                handler = handler_of.get(place[2], N)
            lines.append(
                f"{created}\t{created}\tC{i:09d}\t{channel}\t\t\t{title}\t{text}\t"
                f"{place[0]}\t{place[1]}\t\t\tnormal\t[]\t{state}\t{flagged}\t"
                f"{at(k, minute + 240)}\t{at(k + resolve_days, minute)}\t{responded}\t"
                f"{resolved}\t{closed}\t{1 if r % 23 == 0 else 0}\t{1 if r % 31 == 0 else 0}\t"
                f"{1 if r % 37 == 0 else 0}\t{'已处理完毕' if resolved != N else ''}\t{rating}\t\t"
                f"{place[2]}\t{category}\t\t{level}\t{handler}\n"
            )
            if len(lines) >= chunk:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)

    # Accounts --------------------------------------------------------------------------

    def load_users(self, tree) -> dict[str, int]:
        """The accounts, each granted its role over the first place of its level; returns
        the grid worker's grid id → user id (the handler of that grid's dispatched cases)."""
        where = {
            "street": tree["streets"][0][1],
            "community": tree["communities"][0][1],
            "grid": tree["grids"][0][1],
        }
        handler_of: dict[str, int] = {}
        for username, display, role, at in USERS:
            user = User(username=username, display_name=display, must_change_password=False)
            user.set_password(PASSWORD)
            user.save()
            region = Region.objects.get(path=where[at]) if at else None
            membership_grant(actor=None, user=user, role=role, region=region)
            if at == "grid" and region is not None:
                handler_of[str(region.pk)] = user.pk
        return handler_of

    # The load --------------------------------------------------------------------------

    def run(self) -> dict[str, float]:
        self.refuse()
        size, say = self.size, self.say
        say(
            f"City scale: {size.districts} districts × {size.streets} streets × "
            f"{size.communities} communities × {size.grids} grids, {size.residents:,} "
            f"residents, {size.cases:,} cases."
        )
        started = time.perf_counter()
        tz = settings.TIME_ZONE
        ctx = multiprocessing.get_context("fork")
        with transaction.atomic(), connection.cursor() as cursor, ctx.Pool(self.workers) as pool:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            with say.timed("regions"):
                ensure_categories(Category)
                tree = self.load_regions(cursor)
            handler_of = self.load_users(tree)
            with say.timed("residents (encrypt + COPY + indexes)"):
                truncate_empty(cursor, "people_resident")
                with (
                    indexes_set_aside(cursor, "people_resident", say),
                    say.timed(" residents: COPY"),
                ):
                    copy_lines(
                        cursor,
                        "people_resident",
                        RESIDENT_COLUMNS,
                        self.resident_chunks(tree["grids"], pool),
                    )
            # Cases: at the grids mostly, one in twenty at a community.
            places = tree["grids"] * 19 + tree["communities"] * self.size.grids
            # (Read before the COPY: the connection serves nothing else while it runs.)
            chunks = self.case_chunks(places, handler_of, self.case_texts())
            with say.timed("cases (COPY + indexes)"):
                truncate_empty(cursor, "cases_case")
                with (
                    indexes_set_aside(cursor, "cases_case", say),
                    say.timed(" cases: COPY"),
                ):
                    copy_lines(cursor, "cases_case", CASE_COLUMNS, chunks)
            with say.timed("roll-ups (SQL)"):
                for table, sql in (
                    ("cases_caserollup", rollup_sql.day_rollups(tz)),
                    ("cases_casemonthrollup", rollup_sql.month_rollups()),
                    ("cases_caseduerollup", rollup_sql.due_rollups(tz)),
                    ("cases_casebinrollup", rollup_sql.bin_rollups(tz, rollups.bin_steps())),
                ):
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own names
                    with indexes_set_aside(cursor, table, say), say.timed(f" {table}"):
                        cursor.execute(sql)
            audit.record(
                actor=None,
                verb="demo.load_city",
                after={
                    "districts": size.districts,
                    "grids": len(tree["grids"]),
                    "residents": size.residents,
                    "cases": size.cases,
                },
            )
        with say.timed("ANALYZE"), connection.cursor() as cursor:
            for table in (
                "regions_region",
                "people_resident",
                "cases_case",
                "cases_caserollup",
                "cases_casemonthrollup",
                "cases_caseduerollup",
                "cases_casebinrollup",
            ):
                cursor.execute(f"ANALYZE {table}")
        total = time.perf_counter() - started
        say.phases["total"] = round(total, 1)
        say(f"City loaded in {total:.0f} s ({size.cases / total:,.0f} cases/s overall).")
        return say.phases
