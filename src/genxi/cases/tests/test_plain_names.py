"""Names, not codes (issue #10): a category by its name under its parent's, in the page's
language; a step of the timeline by the person's name, the reporter as 居民 / Resident."""

import pytest
from django.template import Context, Template
from django.utils import translation

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.forms import AcceptForm
from genxi.cases.models import CaseEvent, Category


@pytest.fixture
def categories(db):
    ensure_categories(Category)


def _render(value) -> str:
    return Template("{% load categories %}{{ value|category_name }}").render(
        Context({"value": value})
    )


@pytest.mark.parametrize(
    ("language", "lifts", "facilities"),
    [
        ("zh-hans", "设施维修 · 电梯", "设施维修"),
        ("en", "Facilities and repairs · Lifts", "Facilities and repairs"),
    ],
)
def test_a_category_is_named_under_its_parent(categories, language, lifts, facilities):
    with translation.override(language):
        assert _render(Category.objects.get(code="FAC.04")) == lifts
        assert _render("FAC.04") == lifts  # a router's suggestion, by code
        assert _render("FAC") == facilities
        assert str(Category.objects.get(code="FAC.04")) == lifts
        assert _render("NOPE.01") == "—" and _render(None) == "—"


def test_the_category_picker_offers_names_not_codes(categories, django_assert_max_num_queries):
    field = AcceptForm.base_fields["category"]
    with translation.override("zh-hans"), django_assert_max_num_queries(1):
        labels = [str(label) for _value, label in field.choices][1:]
    assert "设施维修 · 电梯" in labels
    assert not any(c.split(".")[0] in label for c, *_ in [("FAC",), ("ENV",)] for label in labels)


def test_the_timeline_names_the_person_and_the_reporter_in_the_pages_language(world):
    street = world.users["street"]
    street.display_name = "王主任"
    street.save(update_fields=["display_name"])
    by_staff = CaseEvent(actor=street, actor_label="street")
    by_reporter = CaseEvent(actor=None, actor_label="居民")
    by_system = CaseEvent(actor=None, actor_label="system")
    with translation.override("zh-hans"):
        assert (by_staff.who, by_reporter.who, by_system.who) == ("王主任", "居民", "系统")
    with translation.override("en"):
        assert by_system.who == "System"
        # One resident, not the menu's 居民 (Residents): its own message, in context.
        assert by_reporter.who == "Resident"
