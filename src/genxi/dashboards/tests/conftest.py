import pytest

from genxi.cases import services
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.people.models import PioneerKind

TEXTS = {
    "ENV.02": "彩香新村5幢楼道里堆满了杂物",
    "FAC.02": "小区路灯坏了晚上很黑",
    "ENV.04": "底商餐馆油烟直排扰民",
}


@pytest.fixture
def cases(world):
    """Cases of street A in both its communities and of street B, through the services: some
    dispatched to a grid and resolved, rated, one escalated to the street, one rejected."""
    ensure_categories(Category)
    w = world
    worker = w.users["grid"]
    w.pioneer(w.grid_a1, "P-GW", "网格员甲", kind=PioneerKind.GRID_WORKER, user=worker)
    community, street = w.users["community"], w.users["street"]
    made = []
    for i, (code, text) in enumerate(TEXTS.items()):
        for grid in (w.grid_a1, w.grid_a1b, w.grid_a2, w.grid_b1):
            case = services.case_create(
                actor=None,
                channel="phone" if i % 2 else "walk_in",
                text=f"{text}({grid.name}{i})",
                region=grid,
                category=Category.objects.get(code=code),
            )
            made.append(case)
    a1 = [c for c in made if c.region_id == w.grid_a1.pk]
    services.case_act(actor=community, case=a1[0], action="accept")
    services.case_act(actor=community, case=a1[0], action="dispatch", handler=worker)
    services.case_act(actor=worker, case=a1[0], action="take")
    services.case_act(actor=worker, case=a1[0], action="resolve", result="已清理完毕")
    services.case_act(actor=street, case=a1[0], action="verify")
    services.case_act(actor=street, case=a1[0], action="rate", rating="satisfied")
    services.case_act(actor=community, case=a1[1], action="accept")
    services.case_act(actor=community, case=a1[1], action="escalate", reason="需要街道协调")
    services.case_act(actor=community, case=a1[2], action="reject", reason="不属于受理范围")
    services.case_act(actor=street, case=a1[1], action="flag", reason="群众反映强烈")
    w.objs["cases"] = made
    return w
