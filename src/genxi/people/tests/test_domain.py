"""ID numbers and sheet validation, without a database."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from genxi.core.domain.phones import is_valid_mobile
from genxi.people.domain.idcard import check_digit, is_valid_id_number, make_id_number
from genxi.people.domain.sheets import (
    Column,
    column_letter,
    parse_id_number,
    parse_phone,
    validate_rows,
)


def test_known_check_digits():
    # GB 11643 worked example.
    assert check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("110105194913310020")  # month 13


@given(st.dates(date(1900, 1, 1), date(2025, 12, 31)), st.integers(0, 999))
def test_made_numbers_are_valid(born, seq):
    assert is_valid_id_number(make_id_number("320508", born, seq))


def test_mobile():
    assert is_valid_mobile("13812345678")
    assert not is_valid_mobile("12812345678") and not is_valid_mobile("1381234567")


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA",
    ]  # fmt: skip


COLUMNS = [
    Column("name", "姓名"),
    Column("id_number", "身份证号", parse=parse_id_number),
    Column("phone", "手机号码", required=False, parse=parse_phone),
]


def test_every_error_names_row_column_and_reason():
    header = ["手机号码", "姓名", "身份证号"]
    rows = [
        (2, ["13812345678", "甲", "11010519491231002X"]),
        (3, ["123", "", "11010519491231002X"]),
        (4, [None, None, None]),  # blank rows are skipped
        (5, ["", "乙", "bad"]),
    ]
    outcome = validate_rows(COLUMNS, header, rows, {}, unique_keys=("id_number",))
    got = {(e.row, e.column, e.code) for e in outcome.errors}
    assert got == {
        (3, "A", "phone"),
        (3, "B", "required"),
        (3, "C", "duplicate"),
        (5, "C", "id_number"),
    }


def test_missing_column_is_reported_on_the_header_row():
    outcome = validate_rows(COLUMNS, ["姓名"], [], {})
    assert [(e.row, e.title, e.code) for e in outcome.errors] == [(1, "身份证号", "missing_column")]
