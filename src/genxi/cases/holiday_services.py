"""Writes of the working-day calendar: the official holidays and 调休 workdays of a year,
synced from the `chinesecalendar` package, beside the days an admin set by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit

from .domain import holidays
from .models import CalendarDay, CalendarSource


@dataclass
class SyncResult:
    year: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: list[date] = field(default_factory=list)  # set by hand, left as they are


def holidays_sync(*, actor: Any, year: int) -> SyncResult:
    """Make the year's synced rows the official arrangement: add what is missing, correct
    what changed, remove what is no longer in it; a date an admin set by hand is kept as
    the admin set it. A year the package does not carry is refused (ValidationError on
    `year`, naming the years it covers) and nothing is written."""
    try:
        official = {day.date: day for day in holidays.official_days(year)}
    except holidays.YearNotCovered as exc:
        raise ValidationError(
            {
                "year": _(
                    "%(package)s %(version)s 没有 %(year)d 年的节假日安排"
                    "(只有 %(first)d–%(last)d 年)。"
                )
                % {
                    "package": holidays.PACKAGE,
                    "version": holidays.package_version(),
                    "year": year,
                    "first": exc.covered.start,
                    "last": exc.covered.stop - 1,
                }
            }
        ) from exc
    result = SyncResult(year=year)
    with transaction.atomic():
        rows = {
            row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year=year)
        }
        for row in rows.values():
            if row.source == CalendarSource.MANUAL:
                if row.date in official:
                    result.kept.append(row.date)
            elif row.date not in official:
                row.delete()
                result.deleted += 1
        for day, wanted in official.items():
            synced = rows.get(day)
            if synced is None:
                CalendarDay.objects.create(
                    date=day,
                    is_workday=wanted.is_workday,
                    name=wanted.name,
                    source=CalendarSource.SYNCED,
                )
                result.created += 1
            elif synced.source == CalendarSource.SYNCED and (synced.is_workday, synced.name) != (
                wanted.is_workday,
                wanted.name,
            ):
                synced.is_workday, synced.name = wanted.is_workday, wanted.name
                synced.save(update_fields=["is_workday", "name"])
                result.updated += 1
        audit.record(
            actor=actor,
            verb="calendar.sync",
            target_label=str(year),
            after={
                "year": year,
                "source": f"{holidays.PACKAGE} {holidays.package_version()}",
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "kept": [d.isoformat() for d in sorted(result.kept)],
            },
        )
    return result
