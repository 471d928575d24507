"""Residents' requests (民情诉求): cases, their history, photos, routing and deadlines."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.scope import ScopedQuerySet, path_q, places_under, scope_for

from .domain.states import FINAL, OPEN, Level, Rating, State


class CaseState(models.TextChoices):
    """The states of `domain.states.State` with their words (values come from there; a test
    checks that the two name the same states)."""

    SUBMITTED = State.SUBMITTED.value, _("已上报")
    ACCEPTED = State.ACCEPTED.value, _("已受理")
    REJECTED = State.REJECTED.value, _("不予受理")
    MERGED = State.MERGED.value, _("已合并")
    DISPATCHED = State.DISPATCHED.value, _("已派遣")
    IN_PROGRESS = State.IN_PROGRESS.value, _("处置中")
    RESOLVED = State.RESOLVED.value, _("已办结")
    VERIFIED = State.VERIFIED.value, _("已核查")
    CLOSED = State.CLOSED.value, _("已结案")


def state_label(state: str) -> str:
    """A state's name in the active language. Lists use this, not `get_state_display()`:
    Django hashes every lazy label of the choices at each call (a translation lookup each),
    which a queue page of 50 cases, shown as rows and as cards, paid 900 times."""
    try:
        return str(CaseState(state).label)
    except ValueError:
        return state


class CaseLevel(models.TextChoices):
    """The levels of `domain.states.Level` with their words."""

    GRID = Level.GRID.value, _("网格")
    COMMUNITY = Level.COMMUNITY.value, _("社区")
    STREET = Level.STREET.value, _("街道")


class Channel(models.TextChoices):
    PIONEER_VISIT = "pioneer_visit", _("先锋走访")
    PHONE = "phone", _("电话")
    WALK_IN = "walk_in", _("来访")
    PUBLIC_FORM = "public_form", _("居民自助上报")
    OPEN311 = "open311", _("外部平台")  # 12345 and other systems, through Open311
    API = "api", _("接口")
    MEETING = "meeting", _("联席会")
    INSPECTION = "inspection", _("检查整改")
    PROACTIVE = "proactive", _("主动发现")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class RatingChoice(models.TextChoices):
    SATISFIED = Rating.SATISFIED.value, _("满意")
    BASICALLY = Rating.BASICALLY.value, _("基本满意")
    UNSATISFIED = Rating.UNSATISFIED.value, _("不满意")


class Category(models.Model):
    """A subject of requests. Top-level codes (ENV, FAC, …) and subcategories (ENV.01)."""

    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    response_hours = models.PositiveIntegerField(_("响应时限(工作小时)"), default=4)
    resolve_days = models.PositiveIntegerField(_("办结时限(工作日)"), default=5)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_label

    @property
    def full_label(self) -> str:
        """The name a person reads, under its parent's: "市容环境 · 垃圾清运" (never the code;
        `select_related("parent")` where many are shown)."""
        if self.parent_id is not None and self.parent is not None:
            return f"{self.parent.label} · {self.label}"
        return self.label

    @property
    def label(self) -> str:
        """The name in the user's language (the code list is kept in both)."""
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name

    @property
    def top_code(self) -> str:
        return self.code.split(".")[0]


def pinned() -> ExpressionWrapper:
    """督办 while open: the queues' first sort key. The index `case_queue_pinned` is on this
    very expression (the final states sorted, so that the query's and the index's match)."""
    return ExpressionWrapper(
        Q(flagged=True) & ~Q(state__in=sorted(str(s) for s in FINAL)),
        output_field=models.BooleanField(),
    )


# The open states (not final), and those of them not resolved yet: sorted, as the partial
# indexes' conditions name them.
OPEN_STATES = sorted(str(s) for s in OPEN)
UNRESOLVED_STATES = sorted(str(s) for s in OPEN - {State.RESOLVED, State.VERIFIED})


class CaseQuerySet(ScopedQuerySet):
    def visible_listed(self, user: Any) -> Self:
        """`visible_to`, with the scope's places and the person's assignments read first and
        given as lists (`path_q(listed=True)`): for a query that must read the scope along
        its (region, received at) index, a short search (decision 0037)."""
        return self.listed_scope(user)[0]

    def listed_scope(self, user: Any) -> tuple[Self, int | None]:
        """`visible_listed`, and how many places the scope holds (None: every place, or
        none visible): a queue reads a scope of few places along the indexes leading with
        the place, a wide one along its order index (decision 0039)."""
        seen = self.visible_to(user)
        scope = scope_for(user)
        if seen.query.is_empty() or scope.is_global:
            return seen, None
        places = list(places_under(scope.paths)) if scope.paths else []
        return self.filter(Case.scope_q(scope, places=places)), len(places)

    # The states are named, not excluded: PostgreSQL proves from `state IN (…)` that a
    # partial index on the open states (`case_open_region`, `case_open_deadline`) holds the
    # rows, which it cannot from `NOT state IN (…)` (decision 0039).
    def open(self) -> Self:
        return self.filter(state__in=OPEN_STATES)

    def due_soon(self, now: datetime, within: timedelta) -> Self:
        """Open, not resolved yet, and due to be resolved within `within` from `now`."""
        return self.filter(
            state__in=UNRESOLVED_STATES, resolve_by__gte=now, resolve_by__lt=now + within
        )

    def overdue(self, now: datetime | None = None) -> Self:
        """Open, not resolved yet, and past the resolution deadline."""
        return self.filter(state__in=UNRESOLVED_STATES, resolve_by__lt=now or timezone.now())


class Case(PIIMixin, TimeStampedModel):
    # The public id: Open311 and the public pages show it; it lets nobody act on the case.
    code = models.CharField(_("查询码"), max_length=16, unique=True)
    # The reporter's secret, given once at submission, is kept only as its SHA-256.
    secret_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    channel = models.CharField(_("来源"), max_length=16, choices=Channel.choices)
    reporter = models.ForeignKey(
        "people.Resident",
        verbose_name=_("反映人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_contact = EncryptedTextField(_("联系电话"), kind="phone")
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("诉求内容"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    address = EncryptedTextField(_("地点"), kind="address")
    place_key = models.CharField(_("楼栋"), max_length=100, blank=True, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属网格/社区"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    tags = models.JSONField(_("标签"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    # No index of its own: nine values over millions of rows, which PostgreSQL ANDed with
    # the partial indexes of the open cases (which imply the state) at the cost of reading
    # 150,000 entries per query at 10 M cases. The open cases by place, the handler's by
    # state and the order indexes serve the queues (decision 0040).
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=CaseState.choices,
        default=CaseState.SUBMITTED,
    )
    flagged = models.BooleanField(_("督办"), default=False, db_index=True)
    # 吹哨报到: the level holding the case, and since when its holder has it (the last
    # hand-over; null: since it was received).
    level = models.CharField(
        _("办理层级"), max_length=16, choices=CaseLevel.choices, default=CaseLevel.COMMUNITY
    )
    handed_at = models.DateTimeField(_("交接时间"), null=True, blank=True, editable=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    master = models.ForeignKey(
        "self",
        verbose_name=_("主案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # A request with two problems split by a dispatcher: the second case names the first.
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("拆分自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_cases",
    )
    respond_by = models.DateTimeField(_("响应时限"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    returns = models.PositiveIntegerField(_("退回次数"), default=0)
    extensions = models.PositiveIntegerField(_("延期次数"), default=0)
    reworks = models.PositiveIntegerField(_("返工次数"), default=0)
    pending_extension_days = models.PositiveIntegerField(_("申请延期天数"), null=True, blank=True)
    result = models.TextField(_("处置结果"), blank=True)
    rating = models.CharField(_("满意度"), max_length=16, choices=RatingChoice.choices, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Not stored: `services.case_create` leaves these on the case it returns, for the API's
    # answer (`schemas.CaseCreated`): the history so far and the reporter's secret.
    history: list[CaseEvent]
    known_assignments: list[CaseAssignment]  # a case just made has none (no query to say so)
    reporter_secret: str

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-flagged", "-created_at"]
        indexes = [
            # Queues list flagged cases first, then the newest: walk this index, not a sort.
            models.Index(fields=["-flagged", "-created_at", "-id"], name="case_queue_order"),
            # The queues' order itself (督办 while open, the newest, the id), so that a page
            # is a seek in this index from the last row shown (decision 0032).
            models.Index(
                pinned().desc(), F("created_at").desc(), F("id").desc(), name="case_queue_pinned"
            ),
            models.Index(fields=["handler", "state"]),
            models.Index(fields=["lat", "lon"]),
            # A place's cases received in a period (the dashboard map's bins, the public
            # page's solved list): the points and category ride along (PostgreSQL), so the
            # map's grouped count reads the index alone.
            models.Index(
                fields=["region", "created_at"],
                include=["lat", "lon", "category"],
                name="case_region_created",
            ),
            # 已超期 of a place, now (the dashboards): the open, unresolved cases by deadline.
            models.Index(
                fields=["region", "resolve_by"],
                condition=Q(state__in=["submitted", "accepted", "dispatched", "in_progress"]),
                name="case_open_deadline",
            ),
            # A place's open cases by when they were received: the queues of open cases
            # (待派遣, 督办, a state still open) read the scope's few open rows from here and
            # sort them, instead of walking the order index through the whole table
            # (decision 0039).
            models.Index(
                fields=["region", "created_at"],
                condition=Q(state__in=OPEN_STATES),
                name="case_open_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.code])

    @property
    def is_overdue(self) -> bool:
        if self.state in FINAL or self.resolve_by is None:
            return False
        if self.state in (CaseState.RESOLVED, CaseState.VERIFIED):
            return bool(self.resolved_at and self.resolved_at > self.resolve_by)
        return timezone.now() > self.resolve_by

    @staticmethod
    def digest_of_secret(secret: str) -> str:
        """The stored form of a reporter's secret (typed with dashes, spaces or lower case)."""
        normalised = "".join(secret.split()).replace("-", "").upper()
        return hashlib.sha256(normalised.encode()).hexdigest()

    def secret_matches(self, secret: str) -> bool:
        if not self.secret_digest or not secret:
            return False
        return hmac.compare_digest(self.secret_digest, self.digest_of_secret(secret))

    @classmethod
    def scope_q(cls, scope, *, listed: bool = False, places: list[int] | None = None) -> Q:
        """A case is seen over its place, and by whoever it is dispatched to. `places`: the
        ids of the scope's places, read already (the assignments are then listed too)."""
        if places is not None:
            listed = True
            q = Q(region__in=places)
        else:
            q = path_q("region__path", scope.paths, listed=listed)
        if scope.user_id:
            q |= Q(handler_id=scope.user_id)
            # 主办 and 协办: whoever a case was assigned to keeps seeing it.
            assigned = CaseAssignment.objects.filter(person_id=scope.user_id).values_list(
                "case", flat=True
            )
            q |= Q(pk__in=list(assigned) if listed else assigned)
        return q


class CaseEvent(models.Model):
    """One step in a case's history. `seq` numbers the steps of one case without gaps."""

    # (case, seq) is unique, and that index also serves lookups by case.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=UnicodeJSONEncoder)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    # The level holding the case when the step was taken, and for a hand-over how long the
    # one handing it on had held it (since the hand-over before). The metrics count these.
    level = models.CharField(_("办理层级"), max_length=16, choices=CaseLevel.choices, blank=True)
    held = models.DurationField(_("持有时长"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "case__region__path"

    class Meta:
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="unique_case_seq")]

    def __str__(self) -> str:
        return f"{self.case.code} #{self.seq} {self.action}"

    @property
    def who(self) -> str:
        """Who took the step, as the page says it: the account's name today (with
        `select_related("actor")`), else the reporter (居民) or the system, in the page's
        language; a label kept from before is shown as it is."""
        if self.actor_id is not None and self.actor is not None:
            return str(self.actor)
        if self.actor_label in ("居民", "Residents", "Resident", ""):
            return pgettext("操作人", "居民")  # the reporter: one resident, not the menu's 居民
        if self.actor_label == "system":
            return gettext("系统")
        return self.actor_label


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class AssignmentOutcome(models.TextChoices):
    OPEN = "", _("办理中")
    DONE = "done", _("已完成")
    RESOLVED = "resolved", _("已办结")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已改派")


class CaseAssignment(models.Model):
    """A street's dispatch of an escalated case to one organisation's person: the lead
    handler (主办, also `Case.handler`) or an assistant (协办). Each dispatch adds rows;
    a row ends when its part is done, the lead resolves or returns, or the street re-
    dispatches."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("分工"), max_length=8, choices=AssignmentRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    org_name = models.CharField(_("单位"), max_length=120)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("派遣时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AssignmentOutcome.choices, blank=True
    )
    note = models.TextField(_("办理情况"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "case__region__path"

    class Meta:
        verbose_name = _("诉求分工")
        verbose_name_plural = _("诉求分工")
        ordering = ["case", "assigned_at", "id"]
        indexes = [models.Index(fields=["person", "role", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_role_display()} {self.org_name}"

    @property
    def held(self) -> timedelta:
        return (self.ended_at or timezone.now()) - self.assigned_at


class PhotoKind(models.TextChoices):
    REPORT = "report", _("上报照片")
    EVIDENCE = "evidence", _("处置照片")


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=16, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    image = models.ImageField(upload_to="cases/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cases/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    scope_path = "case__region__path"

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.kind}"


class RoutingRule(TimeStampedModel):
    """Who gets a case: by category code prefix and place. The most specific rule wins."""

    category_prefix = models.CharField(_("类别代码前缀"), max_length=16, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("范围"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    priority = models.IntegerField(_("优先级"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("派遣规则")
        verbose_name_plural = _("派遣规则")
        ordering = ["region__path", "category_prefix"]

    def __str__(self) -> str:
        return f"{self.category_prefix or '*'} @ {self.region or '*'} → {self.handler}"


class CalendarSource(models.TextChoices):
    MANUAL = "manual", _("手工设置")
    SYNCED = "synced", _("官方安排同步")


class CalendarDay(models.Model):
    """A public holiday, or a weekend day that is worked (调休).

    `genxi holidays sync` writes the official arrangement as `synced` rows and replaces
    them at the next sync; a row an admin set (`manual`, also every row from before the
    sync existed) is never touched by it."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), default=False)
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(
        _("数据来源"),
        max_length=8,
        choices=CalendarSource.choices,
        default=CalendarSource.MANUAL,
        editable=False,
    )

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class TrainingExample(models.Model):
    """A text with its category: from closed cases, seeds, and every dispatcher correction."""

    text = models.TextField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16, default="case")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("分类样本")
        verbose_name_plural = _("分类样本")

    def __str__(self) -> str:
        return f"{self.category.code}: {self.text[:20]}"


class SuggestionModel(models.Model):
    """A trained category model, written by the background worker (`cases.tasks`); the web
    processes load the newest adopted one. A candidate that scored worse on the evaluation
    set than the model in use is kept as a row (adopted=False, no blob) and never used."""

    created_at = models.DateTimeField(default=timezone.now)
    approach = models.CharField(max_length=30)
    trained_on = models.PositiveIntegerField(default=0)
    # The newest TrainingExample it learnt from: the next training is due after enough newer.
    examples_upto = models.PositiveBigIntegerField(default=0)
    evaluated_on = models.PositiveIntegerField(default=0)
    top1 = models.FloatField(default=0.0)
    top3 = models.FloatField(default=0.0)
    adopted = models.BooleanField(default=False, db_index=True)
    note = models.CharField(max_length=200, blank=True)
    blob = models.BinaryField(blank=True, default=b"", editable=False)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.pk} {self.approach} top1={self.top1:.3f}"


class CaseSuggestion(models.Model):
    """What the router suggested for a case when a dispatcher chose its category, with the
    version of the model that made the suggestion: accepted or corrected."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suggestions")
    suggested = models.CharField(max_length=20, blank=True)  # top-level code, "" if none
    confidence = models.FloatField(null=True, blank=True)
    model_version = models.PositiveIntegerField(null=True, blank=True)
    chosen = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    # Chosen by the model itself at intake (confidence ≥ GENXI_SUGGEST_AUTO_ROUTE), no
    # dispatcher: counted apart from the dispatchers' accepted/corrected.
    auto_routed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("分类建议")
        verbose_name_plural = _("分类建议")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.suggested} → {self.chosen_id}"

    @property
    def accepted(self) -> bool:
        return bool(self.suggested) and self.suggested == self.chosen.top_code


class Open311Client(models.Model):
    """A system allowed to post requests through Open311; only its key's SHA-256 is kept."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class IdempotencyRecord(models.Model):
    """The answer to a create request, kept by its Idempotency-Key so retries get it again."""

    owner = models.CharField(max_length=80)  # "user:<id>" or "open311:<id>"
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Encrypted: a create's answer holds the reporter's secret (Open311 `token`).
    body = EncryptedTextField(kind="text")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="unique_idem_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class CaseRollup(models.Model):
    """The cases received on one day in one place (the case's grid or community), of one
    category and channel, and what has become of them so far (`domain.rollup`). Kept in the
    same transaction as every case write (`rollups.py`); `genxi rollups rebuild` recomputes.
    The dashboards read these, never the cases (docs/dashboards.md)."""

    key = models.CharField(max_length=80, unique=True, editable=False)
    day = models.DateField(_("日期"))
    # Read by place and days: the (region, day) index below, not the foreign key's own.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格/社区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField(_("来源"), max_length=16, choices=Channel.choices)
    received = models.IntegerField(default=0)
    valid = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_in_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_in_time = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    handling_us = models.BigIntegerField(default=0)  # Σ (resolved_at − created_at), µs
    to_grid = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    grid_up = models.IntegerField(default=0)
    sent_down = models.IntegerField(default=0)
    grid_own = models.IntegerField(default=0)
    community_own = models.IntegerField(default=0)
    street_own = models.IntegerField(default=0)
    open = models.IntegerField(default=0)  # of this moment: still open
    flagged_open = models.IntegerField(default=0)
    escalated_open = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求日汇总")
        verbose_name_plural = _("诉求日汇总")
        ordering = ["day", "region", "category", "channel"]
        indexes = [
            # A place's days. No count rides along (decision 0041): an intake's upsert then
            # changes no indexed column and is a HOT update on PostgreSQL.
            models.Index(fields=["region", "day"], name="case_rollup_region_day"),
            models.Index(fields=["day"]),
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_of(day: date, region_id: int, category_id: int | None, channel: str) -> str:
        return f"{day.isoformat()}|{region_id}|{category_id or ''}|{channel}"


class CaseMonthRollup(models.Model):
    """The daily roll-ups summed per month, place, top-level category and channel: the
    same counts (`domain.rollup`), kept in the same upsert as the daily rows (`rollups.py`),
    rebuilt from them by `genxi rollups rebuild`. The dashboards read these for the whole
    months of a period and the daily rows for the days at its edges (docs/dashboards.md)."""

    key = models.CharField(max_length=80, unique=True, editable=False)
    month = models.DateField(_("月份"))  # its first day
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格/社区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # The top-level category (a subcategory's parent), none for a case without one.
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(_("来源"), max_length=16, choices=Channel.choices)
    received = models.IntegerField(default=0)
    valid = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_in_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_in_time = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    handling_us = models.BigIntegerField(default=0)
    to_grid = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    grid_up = models.IntegerField(default=0)
    sent_down = models.IntegerField(default=0)
    grid_own = models.IntegerField(default=0)
    community_own = models.IntegerField(default=0)
    street_own = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    flagged_open = models.IntegerField(default=0)
    escalated_open = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求月汇总")
        verbose_name_plural = _("诉求月汇总")
        ordering = ["month", "region", "category", "channel"]
        indexes = [
            models.Index(fields=["region", "month"], name="case_month_region"),
            # A dashboard's months of every place under a street or community: the months'
            # range first (the places are a semi-join of hundreds, read as a hash). No count
            # rides along, so an intake's upsert stays HOT (decision 0041).
            models.Index(fields=["month", "region"], name="case_month_trend"),
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_of(month: date, region_id: int, category_id: int | None, channel: str) -> str:
        return f"{month.isoformat()}|{region_id}|{category_id or ''}|{channel}"


class CaseDueRollup(models.Model):
    """The open cases of one place (the case's grid or community) whose resolution is due on
    one local day (none: no deadline): open, open and unresolved, flagged, held by the
    street (`domain.rollup.due_contribution`). Kept in the same transaction as every case
    write (`rollups.py`), rebuilt by `genxi rollups rebuild`. The dashboards' 当前 figures
    read these: 已超期 is the unresolved of the days before today, and of today's cases
    those past their deadline already (docs/dashboards.md)."""

    key = models.CharField(max_length=40, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格/社区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    due = models.DateField(_("办结时限"), null=True, blank=True)
    open = models.IntegerField(default=0)
    unresolved = models.IntegerField(default=0)
    flagged_open = models.IntegerField(default=0)
    escalated_open = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求时限汇总")
        verbose_name_plural = _("诉求时限汇总")
        ordering = ["region", "due"]
        indexes = [models.Index(fields=["region", "due"], name="case_due_region")]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_of(region_id: int, due: date | None) -> str:
        return f"{region_id}|{due.isoformat() if due else ''}"


class CaseBinRollup(models.Model):
    """The cases with a point received on one day in one place (the case's grid or
    community), of one category, whose point falls in one map square of about 100 m
    (`i`, `j`: the point's latitude and longitude over the squares' fixed steps,
    `rollups.bin_steps`): how many, and the sums of their points (the mean point is the
    sum over `n`). Kept in the same transaction as every case write (`rollups.py`),
    rebuilt by `genxi rollups rebuild`. The dashboard map's case points read these, never
    the cases (docs/dashboards.md)."""

    key = models.CharField(max_length=80, unique=True, editable=False)
    day = models.DateField(_("日期"))
    # Read by place and days: the (region, day) index below, not the foreign key's own.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格/社区"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # The case's own (sub)category, as the daily rows keep it.
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    i = models.IntegerField(_("纬度格"))
    j = models.IntegerField(_("经度格"))
    n = models.IntegerField(_("诉求数"), default=0)
    lat_sum = models.FloatField(_("纬度之和"), default=0)
    lon_sum = models.FloatField(_("经度之和"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求地图格汇总")
        verbose_name_plural = _("诉求地图格汇总")
        ordering = ["day", "region", "category", "i", "j"]
        indexes = [
            # A place's days. The sums do not ride along (decision 0041): an intake's
            # upsert then changes no indexed column and is a HOT update on PostgreSQL.
            models.Index(fields=["region", "day"], name="case_bin_region_day")
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_of(day: date, region_id: int, category_id: int | None, i: int, j: int) -> str:
        return f"{day.isoformat()}|{region_id}|{category_id or ''}|{i}|{j}"
