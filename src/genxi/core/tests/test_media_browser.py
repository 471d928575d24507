"""In a browser: the case page's photo loads through the scoped view for the community, and
the same address shows nothing to another street's admin."""

import pytest

from genxi.cases import services as case_services
from genxi.core.testing.browser import login, wait_until
from genxi.core.testing.images import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_photo_loads_for_the_community_only(page, world):
    case = case_services.case_create(
        actor=world.users["community"],
        channel="walk_in",
        text="彩香新村5幢门口的地砖翘起来了",
        lat=31.3212,
        lon=120.5912,
        photos=[jpeg_with_gps()],
    )
    login(page, "community")
    page.goto(f"/cases/{case.code}/")
    image = page.locator("img.rounded.border").first
    image.wait_for()
    src = image.get_attribute("src")
    assert src.startswith("/photos/case/") and src.endswith("/thumb/")
    wait_until(page, "img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.context.clear_cookies()
    login(page, "outsider")
    response = page.goto(src)
    assert response.status == 404
