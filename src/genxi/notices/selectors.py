"""Reads of notices: lists scoped to the viewer, a notice's reach per channel and the roll-up,
the public page's and the screens' current notices, the QR link and the headline counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import path_q, scope_for
from genxi.core.stats import count_by_street
from genxi.regions.models import Region

from .models import Announcement, AnnouncementText, NoticeStatus, PosterPrint, SmsOutcome

QR_SALT = "genxi.notices.qr"


def notice_list(*, user: Any, status: str = "") -> QuerySet[Announcement]:
    notices = Announcement.objects.visible_to(user).select_related("community", "author")
    if status in NoticeStatus.values:
        notices = notices.filter(status=status)
    return notices


def current(community: Region) -> QuerySet[Announcement]:
    """The community's notices valid today, newest first (public page, screens' feed)."""
    return (
        Announcement.objects.current().filter(community=community).order_by("-published_at", "-id")
    )


def qr_token(notice: Announcement) -> str:
    """The signed mark the poster's QR code carries: a view with it counts as a scan (it
    names the notice, never a person)."""
    return signing.Signer(salt=QR_SALT).sign(notice.code).rsplit(":", 1)[1]


def is_qr(notice: Announcement, token: str) -> bool:
    return bool(token) and constant_time_compare(token, qr_token(notice))


def qr_path(notice: Announcement) -> str:
    return f"{reverse('notices:public', args=[notice.code])}?qr={qr_token(notice)}"


@dataclass(frozen=True)
class Reach:
    sms_sent: int
    sms_failed: int
    sms_queued: int
    sms_no_consent: int
    sms_no_number: int
    sms_stopped: int
    prints: int
    buildings: int
    web_views: int
    qr_views: int


def _sms_counts(texts: QuerySet[AnnouncementText]) -> dict[str, int]:
    agg = texts.aggregate(
        **{o: Count("pk", filter=Q(outcome=o)) for o in SmsOutcome.values},
    )
    return {k: int(v or 0) for k, v in agg.items()}


def reach(notice: Announcement) -> Reach:
    """What reached whom, per channel: texts by outcome, posters printed (for how many
    distinct buildings), views of the public page (through the QR code or not)."""
    sms = _sms_counts(AnnouncementText.objects.filter(notice=notice))
    prints = PosterPrint.objects.filter(notice=notice)
    buildings = (
        PosterPrint.buildings.through.objects.filter(posterprint__notice=notice)
        .values("building_id")
        .distinct()
        .count()
    )
    return Reach(
        sms_sent=sms["sent"],
        sms_failed=sms["failed"],
        sms_queued=sms["queued"],
        sms_no_consent=sms["no_consent"],
        sms_no_number=sms["no_number"],
        sms_stopped=sms["stopped"],
        prints=prints.count(),
        buildings=buildings,
        web_views=notice.web_views,
        qr_views=notice.qr_views,
    )


def rollup(notices: QuerySet[Announcement]) -> dict[str, int]:
    """The reach of a list of notices added up (the list page's figures)."""
    ids = notices.order_by().values("pk")
    sms = _sms_counts(AnnouncementText.objects.filter(notice__in=ids))
    views = Announcement.objects.filter(pk__in=ids).aggregate(
        web=Sum("web_views"), qr=Sum("qr_views")
    )
    buildings = (
        PosterPrint.buildings.through.objects.filter(posterprint__notice__in=ids)
        .values("posterprint__notice_id", "building_id")
        .distinct()
        .count()
    )
    return {
        "notices": Announcement.objects.filter(pk__in=ids).count(),
        "sms_sent": sms["sent"],
        "sms_failed": sms["failed"],
        "sms_no_consent": sms["no_consent"],
        "buildings": buildings,
        "web_views": int(views["web"] or 0),
        "qr_views": int(views["qr"] or 0),
    }


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """`genxi stats`: the published notices of each street, and the texts they sent."""
    notices = count_by_street(
        Announcement.objects.all(),
        streets,
        "community__path",
        announcements=Q(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN]),
    )
    texts = count_by_street(
        AnnouncementText.objects.all(),
        streets,
        "notice__community__path",
        notice_sms_sent=Q(outcome=SmsOutcome.SENT),
    )
    return {pk: {**notices[pk], **texts[pk]} for pk in notices}


def staff_communities(user: Any) -> QuerySet[Region]:
    """The communities the user is staff of (or staff over): where they may write notices."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    if not paths:
        return Region.objects.none()
    return Region.objects.communities().filter(path_q("path", paths)).order_by("path")
