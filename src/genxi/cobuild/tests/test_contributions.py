"""A unit's page shows what it gave; a community's page what it received; both export to
Excel; both are scoped."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from genxi.cobuild import services


def _delivered(world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=20,
        unit_label="志愿小时",
    )
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=12
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    services.claim_deliver(actor=world.users["unit"], claim=claim, amount=12, beneficiaries=40)
    return need


def test_unit_and_community_pages_and_exports(client, world):
    _delivered(world)
    unit = world.objs["unit_a"]
    client.force_login(world.users["unit"])
    page = client.get(reverse("cobuild:unit", args=[unit.pk])).content.decode()
    assert "12 志愿小时" in page and "40" in page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("cobuild:unit", args=[unit.pk]), {"format": "xlsx"}).content)
    ).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "周末助老志愿服务" and rows[0][7] == 12
    client.force_login(world.users["community"])
    page = client.get(reverse("cobuild:community", args=[world.a1.pk])).content.decode()
    assert "12 志愿小时" in page
    # Another unit and another street see neither.
    assert client.get(reverse("cobuild:unit", args=[world.objs["unit_b"].pk])).status_code == 404
    client.force_login(world.users["outsider"])
    assert client.get(reverse("cobuild:community", args=[world.a1.pk])).status_code == 404


def test_unit_page_shows_pairings_and_deliveries_month_by_month(client, world):
    from datetime import datetime

    from django.utils import timezone

    from genxi.cobuild import selectors
    from genxi.cobuild.models import Claim

    _delivered(world)
    second = _delivered(world)
    # The second delivery happened two months earlier.
    earlier = timezone.make_aware(datetime(2026, 9, 15, 10))
    Claim.objects.filter(need=second).update(delivered_at=earlier)
    unit = world.objs["unit_a"]
    columns, months = selectors.monthly(
        selectors.contributions(user=world.users["unit"], unit=unit)
    )
    assert [(c["label"], c["unit"]) for c in columns] == [("志愿服务", "志愿小时")]
    assert [(m["month"].strftime("%Y-%m"), m["cells"], m["served"]) for m in months][-1] == (
        "2026-09",
        [12],
        40,
    )
    assert len(months) == 2
    client.force_login(world.users["unit"])
    page = client.get(reverse("cobuild:unit", args=[unit.pk])).content.decode()
    assert "2026-09" in page and "彩香一村社区" in page  # the month, and the pairing
