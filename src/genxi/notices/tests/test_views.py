"""Notices' pages: a draft from the form to the public page through the four eyes, a bad
input on its field (400, nothing written), the QR-code view counted, the screens' feed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.notices import selectors
from genxi.notices.models import Announcement

from .helpers import buildings, draft, publish


def _post(today, **over):
    data = {
        "title": "停水通知",
        "text": "本周三停水。",
        "valid_from": f"{today:%Y-%m-%d}",
        "valid_until": f"{today + timedelta(days=2):%Y-%m-%d}",
        "audience": "community",
    }
    return data | over


def test_from_the_form_to_the_public_page(world, client):
    today = timezone.localdate()
    client.force_login(world.users["community"])
    response = client.post(reverse("notices:new", args=[world.a1.code]), _post(today))
    notice = Announcement.objects.get()
    assert response.status_code == 302 and notice.status == "draft"
    client.post(reverse("notices:act", args=[notice.pk]), {"action": "submit"})
    refused = client.post(reverse("notices:act", args=[notice.pk]), {"action": "approve"})
    assert refused.status_code == 400
    assert "起草人不能审核自己的公告" in refused.content.decode()
    client.force_login(world.users["street"])
    client.post(reverse("notices:act", args=[notice.pk]), {"action": "approve"})
    assert Announcement.objects.get().status == "published"
    public = client.get(notice.public_url())
    assert public.status_code == 200 and "本周三停水" in public.content.decode()
    client.get(selectors.qr_path(notice))
    client.get(notice.public_url() + "?qr=forged")
    notice.refresh_from_db()
    assert (notice.qr_views, notice.web_views) == (1, 2)


def test_bad_dates_are_refused_on_their_field(world, client):
    today = timezone.localdate()
    client.force_login(world.users["community"])
    response = client.post(
        reverse("notices:new", args=[world.a1.code]),
        _post(today, valid_until=f"{today - timedelta(days=1):%Y-%m-%d}"),
    )
    assert response.status_code == 400
    assert 'data-error-for="valid_until"' in response.content.decode()
    assert Announcement.objects.count() == 0


def test_the_poster_is_a_pdf_and_the_print_is_recorded(world, client):
    b1, b2 = buildings(world)
    notice = publish(world, draft(world))
    client.force_login(world.users["community"])
    response = client.post(reverse("notices:poster", args=[notice.pk]), {"buildings": [b1.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert notice.prints.get().building_count == 1
    page = client.get(reverse("notices:notice", args=[notice.pk])).content.decode()
    assert 'data-figure="buildings">1<' in page


def test_the_screen_shows_only_valid_published_notices(world, client):
    shown = publish(world, draft(world, title="今日有效"))
    draft(world, title="还是草稿")
    old = publish(world, draft(world, title="已经过期"))
    Announcement.objects.filter(pk=old.pk).update(
        valid_from=timezone.localdate() - timedelta(days=9),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    data = client.get(reverse("notices:screen_json", args=[world.a1.code])).json()
    assert [n["title"] for n in data["notices"]] == [shown.title]
    page = client.get(reverse("notices:screen", args=[world.a1.code])).content.decode()
    assert "今日有效" in page and "还是草稿" not in page and "已经过期" not in page
    assert 'http-equiv="refresh"' in page


def test_the_form_lists_buildings_in_counting_order_folded(client, world):
    """2幢 before 10幢 (the numbers are text), and the long list folded until wanted."""
    b1, _b2 = buildings(world)
    b1.__class__.objects.create(estate=b1.estate, number="10", grid=world.grid_a1)
    client.force_login(world.users["community"])
    body = client.get(reverse("notices:new", args=[world.a1.code])).content.decode()
    assert body.index("花南家园 2幢") < body.index("花南家园 10幢")
    assert '<details class="border rounded px-2 py-1">' in body  # nothing chosen: folded
