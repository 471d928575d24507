"""The address gazetteer and service phones: services (rules, audit, all-or-nothing import),
scope (out of scope is a 404), the staff pages, and the public find page that uses it."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from genxi.cases import routing
from genxi.core.models import AuditEvent
from genxi.core.spreadsheets import write_xlsx
from genxi.regions import selectors, services
from genxi.regions.models import Building, Estate

HEADER = ["小区", "楼栋", "网格", "其他叫法"]


def _xlsx(rows, header=HEADER):
    return SimpleUploadedFile("g.xlsx", write_xlsx("地址库", header, rows))


def _numbers(estate):
    return sorted(estate.buildings.values_list("number", "grid__name"), key=lambda r: int(r[0]))


# Services ------------------------------------------------------------------------------------


def test_staff_keep_estates_and_buildings_with_audit(world):
    staff = world.users["community"]
    estate = services.estate_create(
        actor=staff, community=world.a1, name="彩香新村", aliases=["彩香小区", "彩香新村"],
        numbers=["1", "2", "3"], grid=world.grid_a1,
    )  # fmt: skip
    assert estate.aliases == ["彩香小区"]  # its own name is no other name
    assert _numbers(estate) == [("1", "第1网格"), ("2", "第1网格"), ("3", "第1网格")]
    assert (
        services.buildings_assign(
            actor=staff, estate=estate, numbers=["3", "4"], grid=world.grid_a1b
        )
        == 2
    )  # 3 moves, 4 is new
    assert _numbers(estate)[2:] == [("3", "第2网格"), ("4", "第2网格")]
    services.buildings_remove(actor=staff, estate=estate, numbers=["1"])
    services.estate_update(actor=staff, estate=estate, name="彩香新村", aliases=["老彩香"])
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs[-5:] == [
        "estate.create", "building.assign", "building.assign", "building.remove", "estate.update"
    ]  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.estate_create(actor=staff, community=world.a1, name="彩香新村")
    assert "name" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # a grid of another community
        services.buildings_assign(actor=staff, estate=estate, numbers=["9"], grid=world.grid_a2)
    assert "grid" in err.value.message_dict
    services.estate_delete(actor=staff, estate=estate)
    assert not Building.objects.exists()


@pytest.mark.parametrize("who", ["grid", "unit", "outsider", "norole"])
def test_only_the_places_staff_may_write(world, who):
    with pytest.raises(PermissionDenied):
        services.estate_create(actor=world.users[who], community=world.a1, name="某小区")
    with pytest.raises(PermissionDenied):
        services.region_contact_update(
            actor=world.users[who], region=world.grid_a1, service_phone="0512-65310001"
        )
    assert not Estate.objects.exists()


def test_the_import_writes_all_or_nothing(world):
    staff = world.users["community"]
    world.building(world.grid_a1, "彩香新村", "1")
    bad = _xlsx([["彩香新村", "1-3", "第2网格", ""], ["新小区", "1-2", "第9网格", ""],
                 ["", "4", "第1网格", ""]])  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.gazetteer_import(actor=staff, community=world.a1, upload=bad)
    messages = err.value.message_dict["file"]
    assert messages[0].startswith("第 3 行 C 列") and "第9网格" in messages[0]
    assert messages[1].startswith("第 4 行 A 列")
    assert Building.objects.count() == 1 and Estate.objects.count() == 1  # nothing written
    good = _xlsx([["彩香新村", "1-3", "第2网格", "彩香小区"], ["新小区", "1、2", "第1网格", ""]])
    counts = services.gazetteer_import(actor=staff, community=world.a1, upload=good)
    assert counts == {"estates": 1, "buildings": 5}  # 1 moved, 2 + 2 new
    assert Estate.objects.get(name="彩香新村").aliases == ["彩香小区"]
    assert AuditEvent.objects.filter(verb="gazetteer.import").count() == 1
    not_xlsx = SimpleUploadedFile("g.xlsx", b"not a spreadsheet")
    with pytest.raises(ValidationError) as err:
        services.gazetteer_import(actor=staff, community=world.a1, upload=not_xlsx)
    assert "Excel" in err.value.message_dict["file"][0]


def test_service_phones_are_office_numbers(world):
    staff = world.users["community"]
    with pytest.raises(ValidationError) as err:
        services.region_contact_update(
            actor=staff, region=world.grid_a1, service_phone="13912345678"
        )
    assert "手机" in err.value.message_dict["service_phone"][0]
    grid = services.region_contact_update(
        actor=staff, region=world.grid_a1, service_phone="0512 6531 0001", service_hours="工作日"
    )
    assert grid.service_phone == "0512-65310001"
    world.a1.service_phone = "0512-65310000"
    world.a1.save()
    world.grid_a1b.refresh_from_db()
    assert selectors.contact_of(world.grid_a1b)[0] == "0512-65310000"  # the community's


# Pages -------------------------------------------------------------------------------------


def test_the_gazetteer_page_is_the_communitys(client, world):
    world.building(world.grid_a1, "彩香新村", "1", "2", "3", "7")
    url = reverse("regions:gazetteer", args=[world.a1.pk])
    client.force_login(world.users["community"])
    page = client.get(url).content.decode()
    assert "彩香新村" in page and "1-3、7" in page and 'action="/regions/estates/' in page
    tried = client.get(url, {"q": "彩香新村２号楼"}).content.decode()
    assert 'data-status="found"' in tried and "彩香新村2幢 → 第1网格" in tried
    assert client.get(reverse("regions:addresses")).status_code == 302  # straight to its own
    sheet = client.get(reverse("regions:gazetteer_export", args=[world.a1.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).worksheets[0].values)
    assert rows == [tuple(HEADER), ("彩香新村", "1-3、7", "第1网格", None)]
    for who in ("outsider", "grid", "unit"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404
    client.force_login(world.users["street"])
    assert client.get(reverse("regions:addresses")).status_code == 200


def test_a_refused_post_shows_the_page_again_with_the_error(client, world):
    estate = world.building(world.grid_a1, "彩香新村", "1")
    client.force_login(world.users["community"])
    answer = client.post(
        reverse("regions:buildings_assign", args=[estate.pk]),
        {"numbers": "5-1", "grid": world.grid_a1.pk},
    )
    assert answer.status_code == 400
    assert 'data-error-for="numbers"' in answer.content.decode()
    answer = client.post(
        reverse("regions:contact", args=[world.grid_a1.pk]),
        {f"c{world.grid_a1.pk}-service_phone": "13912345678"},
    )
    assert answer.status_code == 400 and "个人手机号" in answer.content.decode()
    assert Building.objects.count() == 1


def test_the_public_find_page_asks_and_suggests(client, world):
    cache.clear()
    routing.model_memo.clear()
    world.building(world.grid_a1, "彩香一村花园", "4", aliases=["彩香一村"])
    world.building(world.grid_a1b, "彩香新村", "4", "25")
    world.building(world.grid_a2, "彩香二村", "4")
    world.grid_a1b.service_phone, world.grid_a1b.service_hours = "0512-65310002", "工作日"
    world.grid_a1b.save()
    find = reverse("public:find")
    page = client.get(find, {"address": "彩香新村25幢"}).content.decode()
    assert "彩香一村社区 · 第2网格" in page and 'href="tel:051265310002"' in page
    page = client.get(find, {"address": "彩香一村花园4幢"}).content.decode()
    assert "彩香一村社区 · 第1网格" in page
    ask = client.get(find, {"address": "4幢"}).content.decode()
    assert 'data-status="which_estate"' in ask
    assert ask.count('class="list-group-item list-group-item-action py-3 choice"') == 3
    suggest = client.get(find, {"address": "彩香三村4幢"}).content.decode()
    assert "您要找的是不是" in suggest and "彩香二村4幢" in suggest
    data = client.get(find, {"address": "4幢", "format": "json"}).json()
    assert data["status"] == "which_estate" and len(data["choices"]) == 3
    assert client.get(find, {"address": "火星基地"}).status_code == 200


def test_an_empty_communitys_template_offers_its_grids_and_its_example_is_not_imported(
    client, world
):
    client.force_login(world.users["community"])
    content = client.get(reverse("regions:gazetteer_export", args=[world.a1.pk])).content
    book = load_workbook(io.BytesIO(content))
    example = list(book.worksheets[0].values)[1]
    assert example[0].startswith("示例:") and example[2] == "第1网格"
    offered = [r[0] for r in book["选项"].iter_rows(values_only=True)]
    assert offered == ["第1网格", "第2网格"]
    rule = book.worksheets[0].data_validations.dataValidation[0]
    assert rule.type == "list" and "C2" in str(rule.sqref)
    upload = SimpleUploadedFile("t.xlsx", content)
    with pytest.raises(ValidationError) as refused:  # checked; nothing else to write
        services.gazetteer_import(actor=world.users["community"], community=world.a1, upload=upload)
    assert "表中没有数据" in str(refused.value)
    assert not Estate.objects.exists()
