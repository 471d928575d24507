from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from genxi.cases import services
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.people.models import PioneerKind
from genxi.reports.selectors import last_complete_month, previous_month

TEXTS = {
    "ENV.02": "彩香新村5幢楼道里堆满了杂物",
    "FAC.02": "小区路灯坏了晚上很黑",
    "ENV.04": "底商餐馆油烟直排扰民",
}


def _at(moment):
    return mock.patch.object(timezone, "now", lambda: moment)


@pytest.fixture
def months(world):
    """Cases of street A and B received over two months (the last complete month and the
    one before), some handled: November (say) has more and better-handled cases."""
    ensure_categories(Category)
    w = world
    worker = w.users["grid"]
    w.pioneer(w.grid_a1, "P-GW", "网格员甲", kind=PioneerKind.GRID_WORKER, user=worker)
    community, street = w.users["community"], w.users["street"]
    last = last_complete_month(timezone.localdate())
    before = previous_month(last)
    tz = timezone.get_current_timezone()
    made = {before: [], last: []}
    for month, grids in (
        (before, (w.grid_a1, w.grid_b1)),
        (last, (w.grid_a1, w.grid_a1b, w.grid_a2, w.grid_b1)),
    ):
        moment = datetime(month.year, month.month, 10, 9, 0, tzinfo=tz)
        for i, (code, text) in enumerate(TEXTS.items()):
            for grid in grids:
                with _at(moment + timedelta(minutes=i)):
                    made[month].append(
                        services.case_create(
                            actor=None,
                            channel="phone" if i % 2 else "walk_in",
                            text=f"{text}({grid.name}{i})",
                            region=grid,
                            category=Category.objects.get(code=code),
                        )
                    )
        a1 = [c for c in made[month] if c.region_id == w.grid_a1.pk]
        with _at(moment + timedelta(hours=2)):
            services.case_act(actor=community, case=a1[0], action="accept")
            services.case_act(actor=community, case=a1[0], action="dispatch", handler=worker)
            services.case_act(actor=worker, case=a1[0], action="take")
            services.case_act(actor=worker, case=a1[0], action="resolve", result="已清理完毕")
            services.case_act(actor=street, case=a1[0], action="verify")
            services.case_act(actor=street, case=a1[0], action="rate", rating="satisfied")
            if month == last:
                services.case_act(actor=community, case=a1[1], action="accept")
                services.case_act(
                    actor=community, case=a1[2], action="reject", reason="不属于受理范围"
                )
    w.objs["months"] = (before, last)
    w.objs["cases_by_month"] = made
    return w
