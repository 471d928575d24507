"""The warning page's refusals (found by the walk of the demo, scripts/walk.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from genxi.alerts.models import WarningState

from .helpers import warning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "data"), [("alerts:act", {"text": ""}), ("alerts:dismiss", {"reason": "已整改"})]
)
def test_a_warning_decided_meanwhile_says_so(client, world, route, data):
    # Two workers on one warning: the second one's post used to answer a 400 page with
    # no word of why (the page hides the forms once the warning is decided, and their
    # refusal with them).
    staff = world.users["community"]
    w = warning(staff=staff, community=world.a1, grid=world.grid_a1)
    client.force_login(staff)
    first = client.post(reverse("alerts:dismiss", args=[w.pk]), {"reason": "物业已整改"})
    assert first.status_code == 302
    w.refresh_from_db()
    assert w.state == WarningState.DISMISSED
    again = client.post(reverse(route, args=[w.pk]), data)
    assert again.status_code == 400
    html = again.content.decode()
    assert 'data-error-for="form"' in html
    assert "这条预警已经处置过了。" in html


def test_a_field_refused_after_the_warning_was_decided_names_the_field(client, world):
    # The forms are gone once the warning is decided: a refused field (an empty reason)
    # is shown with its label, not a bare 400 page.
    staff = world.users["community"]
    w = warning(staff=staff, community=world.a1, grid=world.grid_a1)
    client.force_login(staff)
    assert (
        client.post(reverse("alerts:dismiss", args=[w.pk]), {"reason": "已整改"}).status_code == 302
    )
    again = client.post(reverse("alerts:dismiss", args=[w.pk]), {"reason": ""})
    html = again.content.decode()
    assert again.status_code == 400
    assert 'data-error-for="reason"' in html and "忽略理由:请填写忽略的理由。" in html
