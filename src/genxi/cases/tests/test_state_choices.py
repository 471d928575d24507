"""The model's choices and the domain's enums name the same states and ratings."""

import pytest

from genxi.cases.domain.states import Rating, State
from genxi.cases.models import Case, CaseState, RatingChoice


@pytest.mark.parametrize(("domain", "choices"), [(State, CaseState), (Rating, RatingChoice)])
def test_every_domain_value_has_a_model_choice_and_back(domain, choices):
    assert {(m.name, m.value) for m in domain} == {(c.name, c.value) for c in choices}


@pytest.mark.parametrize("choices", [CaseState, RatingChoice])
def test_every_choice_has_its_own_chinese_label(choices):
    labels = {c: str(c.label) for c in choices}
    assert len(set(labels.values())) == len(labels)
    # Without a label Django makes one from the name ("In Progress").
    assert all(label != c.name.replace("_", " ").title() for c, label in labels.items())


def test_the_case_field_offers_exactly_the_domain_states():
    field = Case._meta.get_field("state")
    assert [value for value, _label in field.choices] == [s.value for s in State]
    assert field.default == State.SUBMITTED
