"""A world whose cases carry planted personal data in their titles, names, phones and
addresses: the public outputs must show none of it (tests/test_public.py)."""

import pytest

from genxi.cases import services
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.core.memo import clear_all
from genxi.people.models import PioneerKind

# name, phone, ID number, address (exact), title template, category
PLANTED = [
    ("张秀英", "13912345678", "320508198203154417", "彩香一村5幢302室", "ENV.02"),
    ("王建国", "13800001111", "32050819750621203X", "彩香一村12幢1101室", "ENV.02"),
    ("李志强", "15061234567", "320508199001011230", "彩香一村7幢201室", "FAC.02"),
    ("刘丽娟", "18912340000", "320508196512124321", "彩香二村3幢602室", "FAC.02"),
    ("陈国华", "13771112222", "320508198808088888", "彩香二村21幢101室", "ENV.04"),
    ("欧阳海燕", "13606261234", "320508197011113456", "彩香一村9幢502室", "ENV.04"),
]
TITLES = [
    "{name}反映{address}楼道堆物,电话{phone}",
    "居民{name}:{address}漏水,身份证{id}",
    "{address}路灯不亮,联系人{name} {phone}",
]


def secrets_of(world):
    """Every planted value, and the cases' tracking codes."""
    found = []
    for name, phone, id_number, address, _cat in PLANTED:
        found += [name, name[1:] if len(name) > 2 else name, phone, phone[-8:], id_number]
        found += [address, address[4:]]  # the estate is public, the house and room are not
    found += [c.code for c in world.objs["planted"]]
    return found


@pytest.fixture(autouse=True)
def _fresh_memos():
    clear_all()
    yield
    clear_all()


@pytest.fixture
def planted(world):
    """Per planted person three cases (one per title), in 彩香一村 or 彩香二村 (street A),
    two of them solved and rated; the first title carries its own tracking code too."""
    ensure_categories(Category)
    w = world
    worker = w.users["grid"]
    w.pioneer(w.grid_a1, "P-GW", "网格员甲", kind=PioneerKind.GRID_WORKER, user=worker)
    community, street = w.users["community"], w.users["street"]
    made = []
    for name, phone, id_number, address, cat in PLANTED:
        grid = w.grid_a1 if address.startswith("彩香一村") else w.grid_a2
        for i, title in enumerate(TITLES):
            text = title.format(name=name, phone=phone, id=id_number, address=address)
            case = services.case_create(
                actor=None,
                channel="phone",
                text=text,
                region=grid,
                address=address,
                reporter_name=name,
                reporter_contact=phone,
                category=Category.objects.get(code=cat),
            )
            made.append(case)
            if i == 2:
                continue
            actor = community if grid == w.grid_a1 else street
            services.case_act(actor=actor, case=case, action="accept")
            if grid == w.grid_a1:
                services.case_act(actor=community, case=case, action="dispatch", handler=worker)
                services.case_act(actor=worker, case=case, action="take")
                services.case_act(actor=worker, case=case, action="resolve", result="已处理")
            else:
                services.case_act(actor=street, case=case, action="dispatch", handler=street)
                services.case_act(actor=street, case=case, action="take")
                services.case_act(actor=street, case=case, action="resolve", result="已处理")
            services.case_act(actor=street, case=case, action="verify")
            services.case_act(
                actor=street, case=case, action="rate", rating="satisfied" if i else "unsatisfied"
            )
    w.objs["planted"] = made
    return w
