"""The gazetteer's pure part: what people type, parsed; the lookup's answers; the sheet and
the service phone rules. Plain pytest and hypothesis, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.regions.domain.addresses import (
    Entry,
    Gazetteer,
    building_number,
    chinese_number,
    clean,
    estate_key,
    parse,
    parse_building_list,
)
from genxi.regions.domain.contact import is_mobile, is_office_number, tel_uri, tidy
from genxi.regions.domain.sheet import ranges, read_sheet

# The demo's 彩香一村社区: two estates whose building numbers overlap in different grids.
ENTRIES = (
    [Entry(1, "彩香一村花园", "彩香一村社区", str(n), "g1" if n <= 20 else "g2", ("彩香一村",))
     for n in range(1, 41)]
    + [Entry(2, "彩香新村", "彩香一村社区", str(n), "g3" if n <= 15 else "g1", ("彩香小区",))
       for n in range(1, 31)]
    + [Entry(3, "彩香二村", "彩香二村社区", str(n), "g4") for n in range(1, 41)]
)  # fmt: skip
GAZ = Gazetteer(ENTRIES)


@pytest.mark.parametrize(
    ("typed", "estate", "building", "unit", "room"),
    [
        ("彩香新村25幢", "彩香新村", "25", "", ""),
        ("彩香新村 25 栋 2 单元 301 室", "彩香新村", "25", "2", "301"),
        ("彩香新村２５号楼", "彩香新村", "25", "", ""),  # full-width digits
        ("彩香新村二十五幢", "彩香新村", "25", "", ""),
        ("彩香新村25-2-301", "彩香新村", "25", "2", "301"),
        ("彩香新村25-301", "彩香新村", "25", "", "301"),
        ("苏州市姑苏区金阊街道彩香新村25号", "彩香新村", "25", "", ""),
        ("彩香新邨25棟", "彩香新村", "25", "", ""),  # variant and traditional characters
        ("彩香新村25", "彩香新村", "25", "", ""),
        ("4幢", "", "4", "", ""),
        ("彩香一村花园", "彩香一村花园", "", "", ""),
    ],
)
def test_what_people_type_is_parsed(typed, estate, building, unit, room):
    got = parse(typed)
    assert (got.estate, got.building, got.unit, got.room) == (estate, building, unit, room)


def test_a_named_community_is_kept_apart():
    got = parse("彩香一村社区彩香新村25号楼3单元")
    assert (got.community, got.estate, got.building, got.unit) == (
        "彩香一村社区",
        "彩香新村",
        "25",
        "3",
    )


def test_estate_names_without_their_generic_ending():
    assert estate_key("彩香一村花园") == estate_key("彩香一村小区") == "彩香一村"
    assert estate_key("彩香新村") == estate_key("彩香小区") == "彩香"
    assert estate_key("新村") == "新村"  # nothing would be left


def test_the_issues_addresses_are_found():
    assert (GAZ.lookup("彩香一村花园4幢").grid, GAZ.lookup("彩香一村花园4幢").place) == (
        "g1",
        "彩香一村花园4幢",
    )
    assert GAZ.lookup("彩香新村25幢").grid == "g1"
    assert GAZ.lookup("彩香新村25栋2单元301室").place == "彩香新村25幢"
    assert GAZ.lookup("彩香小区5号").grid == "g3"  # another name of 彩香新村
    assert GAZ.lookup("彩香一村4号楼").grid == "g1"
    assert GAZ.lookup("彩香一村社区彩香新村二十五幢").grid == "g1"


def test_a_bare_building_number_asks_which_estate():
    answer = GAZ.lookup("4幢")
    assert answer.status == "which_estate" and answer.grid is None
    assert [c.label for c in answer.choices] == ["彩香一村花园4幢", "彩香新村4幢", "彩香二村4幢"]
    assert [c.hint for c in answer.choices][-1] == "彩香二村社区"
    # each choice, looked up again, is found
    assert all(GAZ.lookup(c.query).found for c in answer.choices)


def test_many_estates_are_cut_short_with_a_count():
    many = Gazetteer(Entry(i, f"小区{i:02d}号", "某社区", "4", i) for i in range(30))
    answer = many.lookup("4幢")
    assert len(answer.choices) == Gazetteer.MAX_CHOICES and answer.more == 18


def test_an_estate_over_several_grids_asks_which_building():
    answer = GAZ.lookup("彩香一村花园")
    assert answer.status == "which_building" and len(answer.choices) == 40
    assert answer.choices[0].label == "彩香一村花园1幢" and answer.estate == "彩香一村花园"
    assert GAZ.lookup("彩香二村").grid == "g4"  # one grid: no question


def test_a_misspelled_estate_gets_suggestions():
    answer = GAZ.lookup("彩香三村5幢")
    assert answer.status == "suggest"
    assert "彩香二村5幢" in [c.label for c in answer.choices]
    assert GAZ.lookup("火星基地8幢").status == "not_found"
    assert GAZ.lookup("").status == "not_found"


def test_a_short_name_inside_a_longer_word_is_no_match():
    # 彩香 (彩香新村 without 新村) is inside 彩香三村: that is a suggestion, not a match.
    assert not GAZ.lookup("彩香三村5幢").found


# The normaliser, on any input ---------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """25 → 二十五, 10 → 十, 103 → 一百零三 (how people write building numbers)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones] if ones else "")


@given(st.integers(min_value=1, max_value=999))
def test_chinese_numbers_read_back(n):
    assert chinese_number(chinese(n)) == n


ESTATES = st.sampled_from(["彩香新村", "彩香一村花园", "三元二村", "康桥花园", "晨曦馨苑"])


@given(
    estate=ESTATES,
    number=st.integers(min_value=1, max_value=300),
    word=st.sampled_from(["幢", "栋", "号楼", "号", "棟"]),
    full_width=st.booleans(),
    as_chinese=st.booleans(),
    spaces=st.sampled_from(["", " ", "  ", "\u3000"]),
    unit=st.none() | st.integers(min_value=1, max_value=9),
    room=st.none() | st.integers(min_value=101, max_value=2604),
    prefix=st.sampled_from(["", "苏州市", "姑苏区", "江苏省苏州市姑苏区金阊街道"]),
)
def test_every_way_of_writing_a_building_parses_the_same(
    estate, number, word, full_width, as_chinese, spaces, unit, room, prefix
):
    digits = chinese(number) if as_chinese else str(number)
    if full_width:
        digits = digits.translate(FULL_WIDTH)
    typed = f"{prefix}{estate}{spaces}{digits}{spaces}{word}"
    if unit:
        typed += f"{spaces}{unit}单元"
    if room:
        typed += f"{spaces}{room}室"
    got = parse(typed)
    assert got.estate == estate and got.building == str(number)
    assert got.unit == (str(unit) if unit else "")
    assert got.room == (str(room) if room else "")


@given(st.text(max_size=40))
def test_clean_is_idempotent_and_never_fails(text):
    once = clean(text)
    assert clean(once) == once
    parse(text)  # any text parses to something
    GAZ.lookup(text)  # and any text gets an answer


@given(st.sets(st.integers(min_value=1, max_value=200), min_size=1, max_size=40))
def test_building_ranges_read_back(numbers):
    written = ranges(str(n) for n in numbers)
    assert parse_building_list(written) == [str(n) for n in sorted(numbers)]


def test_building_lists_as_staff_type_them():
    assert parse_building_list("1-3,8、10号楼 12幢") == ["1", "2", "3", "8", "10", "12"]
    assert parse_building_list("１－３") == ["1", "2", "3"]
    assert building_number("025") == "25" and building_number("A座") == "A座"
    for bad in ("5-1", "1-9999", "楼"):
        with pytest.raises(ValueError):
            parse_building_list(bad)


# The sheet -------------------------------------------------------------------------------------

GRIDS = {"第1网格": "g1", "第2网格": "g2"}


def test_a_sheet_is_read_into_records():
    header = ["小区", "楼栋", "网格", "其他叫法"]
    rows = [(2, ["彩香新村", "1-3", "第1网格", "彩香小区、老彩香"]), (3, [None, None, None, None]),
            (4, ["彩香新村", 4.0, "第2网格", None])]  # fmt: skip
    out = read_sheet(header, rows, GRIDS)
    assert not out.errors
    assert [(r.row, r.buildings, r.grid) for r in out.records] == [
        (2, ("1", "2", "3"), "g1"),
        (4, ("4",), "g2"),
    ]
    assert out.records[0].aliases == ("彩香小区", "老彩香")


def test_sheet_errors_name_the_row_and_the_column():
    header = ["小区", "楼栋", "网格"]
    rows = [(2, ["彩香新村", "1-3", "第9网格"]), (3, ["", "abc-", "第1网格"]),
            (4, ["彩香新村", "3", "第2网格"])]  # fmt: skip
    errors = [(e.row, e.column, e.code) for e in read_sheet(header, rows, GRIDS).errors]
    assert errors == [(2, "C", "grid"), (3, "A", "required"), (3, "B", "buildings")]
    rows = [(2, ["彩香新村", "1-3", "第1网格"]), (3, ["彩香新村", "3", "第2网格"])]
    assert [(e.row, e.column, e.code) for e in read_sheet(header, rows, GRIDS).errors] == [
        (3, "B", "conflict")
    ]
    missing = read_sheet(["小区", "网格"], [], GRIDS).errors
    assert [(e.row, e.title, e.code) for e in missing] == [(1, "楼栋", "missing_column")]
    assert [e.code for e in read_sheet(header, [], GRIDS).errors] == ["empty"]


# Service phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "office", "tel"),
    [
        ("0512-65310001", True, "051265310001"),
        ("0512 6531 0001", True, "051265310001"),
        ("(0512)65310001-801", True, "051265310001,801"),
        ("12345", True, "12345"),
        ("400-123-4567", True, "4001234567"),
        ("13912345678", False, ""),
        ("+86 139 1234 5678", False, ""),
        ("abc", False, ""),
    ],
)
def test_service_phones_are_office_numbers(typed, office, tel):
    assert is_office_number(typed) is office
    if office:
        assert tel_uri(typed) == tel
    assert is_mobile("139 1234 5678") and not is_mobile("0512-65310001")
    assert tidy("051265310001") == "0512-65310001"
