"""The write matrix of the monthly reports: making (or making again) a place's report, for
the staff whose scope holds the place (core/testing/write_matrix.py)."""

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.matrix import CreateMatrix, ok
from genxi.core.testing.write_matrix import Write, assert_declared, counts
from genxi.reports.models import MonthlyReport
from genxi.reports.selectors import last_complete_month

STAFF = {"system_admin": ok(302), "street": ok(302), "department": ok(302), "community": ok(302)}

WRITES = [
    Write(
        "monthly_report.create",
        route="reports:make",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("reports:make", args=[ctx.target.code]),
        data=lambda ctx: {"month": f"{last_complete_month(timezone.localdate()):%Y-%m}"},
        watch=counts(MonthlyReport),
        inside=STAFF,
    ),
]


class TestWrites(CreateMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.reports", WRITES)
