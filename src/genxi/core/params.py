"""Query parameters of pages and feeds: parse one, or refuse it naming the parameter.

Each parser raises `BadParameter` (a `django.core.exceptions.BadRequest`), which Django turns
into a 400 through `handler400` (`core.views.site.bad_request`, which shows the message). A feed
with its own error format (Open311) catches it and answers 400 in that format. A missing or
empty parameter gives the default; a present but malformed or out-of-range one never falls
back silently.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

# What a database integer column holds (PostgreSQL `integer`): larger numbers overflow it.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def storable(value: datetime) -> bool:
    """Whether an aware date-time's UTC instant falls within years 1 to 9999, so that the
    database adapters can convert it."""
    try:
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        return False
    return True


class BadParameter(BadRequest):
    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def _raw(request, name: str) -> str:
    return request.GET.get(name, "").strip()


def int_param(request, name: str, default: int, *, low: int, high: int) -> int:
    """An integer in [low, high]; `default` when absent."""
    raw = _raw(request, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise BadParameter(
            name, _("应为 %(low)d 到 %(high)d 之间的整数。") % {"low": low, "high": high}
        )
    return value


def float_param(request, name: str, *, low: float, high: float) -> float | None:
    """A finite number in [low, high]; None when absent."""
    raw = _raw(request, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise BadParameter(
            name, _("应为 %(low)s 到 %(high)s 之间的数。") % {"low": low, "high": high}
        )
    return value


def finite_or_none(raw: str | None, limit: float) -> float | None:
    """A form field's finite number within ±limit, or None (for optional values that are
    dropped rather than refused, such as a phone's position)."""
    try:
        value = float(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and abs(value) <= limit else None


def _parse_day(raw: str, name: str) -> date:
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(name, _("应为日期,格式 YYYY-MM-DD。"))
    return value


def date_param(request, name: str) -> date | None:
    """A calendar date written YYYY-MM-DD; None when absent."""
    raw = _raw(request, name)
    return _parse_day(raw, name) if raw else None


# The years a calendar page may show: it links a month (or a week) either side of the one
# asked for and fills its first and last weeks from the neighbouring months, so a date near
# year 1 or 9999 would step off the calendar (and out of what the database stores).
YEAR_MIN, YEAR_MAX = 1900, 2100


def calendar_error(value: date | None) -> str | None:
    """The message for a date or date-time (in UTC, where the database stores it) beyond
    YEAR_MIN..YEAR_MAX, for a service to refuse it naming its field; None when within."""
    if value is None:
        return None
    year = value.year
    if isinstance(value, datetime) and timezone.is_aware(value):
        year = value.astimezone(UTC).year if storable(value) else 0
    if YEAR_MIN <= year <= YEAR_MAX and YEAR_MIN <= value.year <= YEAR_MAX:
        return None
    return _years_message()


def _years_message() -> str:
    return _("年份应在 %(low)d 到 %(high)d 之间。") % {"low": YEAR_MIN, "high": YEAR_MAX}


def _in_years(name: str, value: date) -> date:
    message = calendar_error(value)
    if message:
        raise BadParameter(name, message)
    return value


def month_value(raw: str, name: str) -> date | None:
    """A month written YYYY-MM (a day after it, YYYY-MM-DD, is allowed and dropped), as its
    first day, within YEAR_MIN..YEAR_MAX; None when empty."""
    raw = raw.strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", raw)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise BadParameter(name, _("应为月份,格式 YYYY-MM。"))
    year = int(match.group(1))
    if not YEAR_MIN <= year <= YEAR_MAX:  # before date(): year 0 is no date at all
        raise BadParameter(name, _years_message())
    return date(year, int(match.group(2)), 1)


def month_param(request, name: str) -> date | None:
    """The query's month (`month_value`); None when absent."""
    return month_value(_raw(request, name), name)


def day_value(raw: str, name: str) -> date | None:
    """A date written YYYY-MM-DD within YEAR_MIN..YEAR_MAX; None when empty."""
    raw = raw.strip()
    return _in_years(name, _parse_day(raw, name)) if raw else None


def day_param(request, name: str) -> date | None:
    """The query's date (`day_value`); None when absent."""
    return day_value(_raw(request, name), name)


def year_param(request, name: str, default: int) -> int:
    """A year within YEAR_MIN..YEAR_MAX; `default` when absent."""
    return int_param(request, name, default, low=YEAR_MIN, high=YEAR_MAX)


def parse_datetime_value(raw: str, name: str) -> datetime:
    """An ISO 8601 date-time (naive ones are in the local time zone) that the database can
    store: its UTC instant must fall within years 1 to 9999."""
    try:
        value = parse_datetime(raw.strip())
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(
            name, _("应为日期时间,例如 %(example)s。") % {"example": "2026-11-27T08:00:00+08:00"}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not storable(value):
        raise BadParameter(name, _("日期时间超出可用范围。"))
    return value


def code_param(request, name: str, pattern: str = r"[A-Za-z0-9_-]{1,64}") -> str:
    """A code made of letters, digits, '-' and '_' (so it fits in a URL path segment)."""
    raw = _raw(request, name)
    if raw and not re.fullmatch(pattern, raw):
        raise BadParameter(name, _("只能包含字母、数字、连字符和下划线。"))
    return raw


class RefuseNulMiddleware:
    """PostgreSQL cannot store or compare text holding NUL (\\x00): a NUL in the path or in a
    query parameter reached the database and answered 500. Refuse it first: the API answers
    422 with ErrorOut naming the parameter, a page answers 400 through handler400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _nul_parameter(request)
        if name is None:
            return self.get_response(request)
        message = _("不能包含 NUL 字符(\\x00)。")
        if request.path_info.startswith("/api/"):
            body = {"detail": f"{name}: {message}", "errors": {name: [message]}}
            return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
        raise BadParameter(name, message)


def _nul_parameter(request) -> str | None:
    if "\x00" in request.path_info:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "\\x00")
    return None
