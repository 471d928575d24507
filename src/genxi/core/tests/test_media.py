"""Uploaded files are served only through the scoped photo view: in scope 200, out of scope
404, anonymous to the login page; nothing under MEDIA_URL is served by path, even in DEBUG."""

import importlib

import pytest
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from genxi.cases import services as case_services
from genxi.cobuild import services as cobuild_services
from genxi.core.testing.images import jpeg_with_gps


@pytest.fixture
def case_photo(world):
    case = case_services.case_create(
        actor=world.users["community"],
        channel="walk_in",
        text="彩香新村5幢门口的地砖翘起来了",
        lat=31.3212,
        lon=120.5912,
        photos=[jpeg_with_gps()],
    )
    return case, case.photos.get()


@pytest.fixture
def delivery_photo(world):
    need = cobuild_services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="助老服务",
        kind="volunteers",
        quantity=5,
        unit_label="志愿小时",
    )
    claim = cobuild_services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    cobuild_services.claim_approve(actor=world.users["community"], claim=claim)
    cobuild_services.claim_deliver(
        actor=world.users["unit"], claim=claim, amount=2, photos=[jpeg_with_gps()]
    )
    return need, claim.photos.get()


def _urls(kind, photo):
    return [reverse("photo", args=[kind, photo.pk, v]) for v in ("full", "thumb")]


@pytest.mark.parametrize(
    ("who", "status"),
    [("community", 200), ("street", 200), ("outsider", 404), ("norole", 404), ("auditor", 404)],
)
def test_case_photos_follow_the_case_scope(client, world, case_photo, who, status):
    _case, photo = case_photo
    client.force_login(world.users[who])
    for url in _urls("case", photo):
        response = client.get(url)
        assert response.status_code == status, (who, url)
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"
            assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
            assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("who", "status"), [("community", 200), ("unit", 200), ("outsider", 404), ("grid", 404)]
)
def test_delivery_photos_follow_the_claim_scope(client, world, delivery_photo, who, status):
    _need, photo = delivery_photo
    client.force_login(world.users[who])
    for url in _urls("delivery", photo):
        assert client.get(url).status_code == status, (who, url)


def test_anonymous_goes_to_the_login_page(client, case_photo, delivery_photo):
    for kind, (_owner, photo) in (("case", case_photo), ("delivery", delivery_photo)):
        for url in _urls(kind, photo):
            response = client.get(url)
            assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_kinds_variants_and_ids_are_404(client, world, case_photo):
    _case, photo = case_photo
    client.force_login(world.users["community"])
    for args in (["import", photo.pk, "full"], ["case", photo.pk, "raw"], ["case", 999999, "full"]):
        assert client.get(reverse("photo", args=args)).status_code == 404


def test_pages_link_photos_through_the_scoped_view(client, world, case_photo, delivery_photo):
    case, photo = case_photo
    client.force_login(world.users["community"])
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert all(url in page for url in _urls("case", photo))
    assert "/media/" not in page and photo.image.name not in page
    need, delivery = delivery_photo
    page = client.get(reverse("cobuild:need", args=[need.pk])).content.decode()
    assert all(url in page for url in _urls("delivery", delivery))
    assert "/media/" not in page


def test_media_is_not_served_by_path_even_in_debug(settings, case_photo):
    from genxi.config import urls

    _case, photo = case_photo
    settings.DEBUG = True
    try:
        importlib.reload(urls)
        clear_url_caches()
        for path in (
            "/media/" + photo.image.name,
            "/media/imports/2026/12/residents-template.xlsx",
        ):
            with pytest.raises(Resolver404):
                resolve(path, urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()
