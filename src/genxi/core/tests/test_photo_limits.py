"""Decompression bombs: the pixel count is checked from the header, before decoding, and a
too-large photo is a form error on the photos field, never a 500."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from genxi.cases.models import Case
from genxi.core import photos
from genxi.core.testing.images import png_of_size

BOMBS = [
    pytest.param(12000, 10000, False, id="12000x10000-decodable"),
    pytest.param(20000, 20000, False, id="20000x20000"),
    pytest.param(60000, 60000, True, id="60000x60000-header-only"),
]


@pytest.mark.parametrize(("width", "height", "header_only"), BOMBS)
def test_a_bomb_is_refused_with_a_message_on_the_field(width, height, header_only):
    upload = png_of_size(width, height, header_only=header_only)
    assert upload.size < 100_000  # tiny files that declare huge images
    with pytest.raises(ValidationError) as caught:
        photos.clean_photo(upload)
    [message] = caught.value.message_dict["photos"]
    assert "4000 万像素" in message


def test_the_limit_is_the_stated_one_and_a_large_photo_still_goes_in():
    assert photos.MAX_PIXELS == 40_000_000
    image, thumb, width, height = photos.clean_photo(png_of_size(6400, 6250))  # 40.0 MP
    assert (width, height) == (2048, 2000) and image.size > 0 and thumb.size > 0
    with pytest.raises(ValidationError):
        photos.clean_photo(png_of_size(6400, 6251))


@pytest.mark.parametrize(("width", "height", "header_only"), BOMBS)
def test_the_anonymous_report_form_answers_a_form_error(client, world, width, height, header_only):
    cache.clear()
    response = client.post(
        reverse("public:report"),
        {
            "text": "彩香新村5幢门口的地砖翘起来了",
            "lat": "31.3212",
            "lon": "120.5912",
            "photos": png_of_size(width, height, header_only=header_only),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-error-for="photos"' in body and "4000 万像素" in body
    assert not Case.objects.exists()


def test_a_delivery_photo_bomb_writes_nothing(world):
    from genxi.cobuild import services
    from genxi.cobuild.models import Claim, DeliveryPhoto

    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="助老服务",
        kind="volunteers",
        quantity=5,
        unit_label="志愿小时",
    )
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    with pytest.raises(ValidationError) as caught:
        services.claim_deliver(
            actor=world.users["unit"],
            claim=claim,
            amount=2,
            photos=[png_of_size(60000, 60000, header_only=True)],
        )
    assert "photos" in caught.value.message_dict
    assert not DeliveryPhoto.objects.exists()
    assert Claim.objects.get(pk=claim.pk).delivered_amount in (0, None)
