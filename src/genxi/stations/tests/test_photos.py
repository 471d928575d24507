"""A station's pictures: uploaded by the staff over its community without their metadata,
shown on the public page to anyone while the station is open to the public, at most eight,
removed by the staff; audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from genxi.core.models import AuditEvent
from genxi.core.testing.images import jpeg_with_gps
from genxi.stations import services
from genxi.stations.models import StationPhoto
from genxi.stations.services.stations import PHOTOS_MAX

from .helpers import station as make_station


def _jpeg(name="驿站.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps().getvalue(), content_type="image/jpeg")


def test_the_staff_upload_a_picture_without_its_gps_and_anyone_sees_it(client, world):
    station = make_station(world)
    staff = world.users["community"]
    client.force_login(staff)
    response = client.post(
        reverse("stations:act", args=[station.pk, "photo"]),
        {"photos": _jpeg(), "caption": "微波炉和热水壶"},
    )
    assert response.status_code == 302
    photo = StationPhoto.objects.get(station=station)
    with Image.open(photo.image.open("rb")) as image:
        assert not image.getexif()  # the phone's GPS position is gone
    assert AuditEvent.objects.filter(verb="station.photo_add").count() == 1
    client.logout()
    page = client.get(reverse("stations:public", args=[station.pk])).content.decode()
    thumb = reverse("stations:photo", args=[station.pk, photo.pk, "thumb"])
    assert thumb in page and "微波炉和热水壶" in page
    served = client.get(thumb)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    assert (
        client.get(reverse("stations:photo", args=[station.pk, photo.pk, "raw"])).status_code == 404
    )


def test_a_closed_station_shows_no_picture(client, world):
    station = make_station(world)
    photo = services.photo_add(actor=world.users["community"], station=station, image=_jpeg())
    services.station_update(actor=world.users["community"], station=station, active=False)
    url = reverse("stations:photo", args=[station.pk, photo.pk, "full"])
    assert client.get(url).status_code == 404
    other = make_station(world, name="另一个驿站")
    assert (
        client.get(reverse("stations:photo", args=[other.pk, photo.pk, "full"])).status_code == 404
    )


def test_only_the_staff_upload_at_most_eight_and_bad_files_are_named(world):
    station = make_station(world)
    staff = world.users["community"]
    with pytest.raises(PermissionDenied):
        services.photo_add(actor=world.users["grid"], station=station, image=_jpeg())
    with pytest.raises(ValidationError) as bad:
        services.photo_add(
            actor=staff, station=station, image=SimpleUploadedFile("x.jpg", b"not an image")
        )
    assert "photos" in bad.value.message_dict
    for _ in range(PHOTOS_MAX):
        services.photo_add(actor=staff, station=station, image=_jpeg())
    with pytest.raises(ValidationError) as full:
        services.photo_add(actor=staff, station=station, image=_jpeg())
    assert "photos" in full.value.message_dict
    assert StationPhoto.objects.filter(station=station).count() == PHOTOS_MAX


def test_a_refused_upload_is_shown_on_its_field(client, world):
    station = make_station(world)
    client.force_login(world.users["community"])
    response = client.post(
        reverse("stations:act", args=[station.pk, "photo"]),
        {"photos": SimpleUploadedFile("x.jpg", b"not an image"), "caption": ""},
    )
    assert response.status_code == 400
    assert 'data-error-for="photos"' in response.content.decode()
    assert not StationPhoto.objects.exists()


def test_the_staff_remove_a_picture(client, world):
    station = make_station(world)
    photo = services.photo_add(actor=world.users["community"], station=station, image=_jpeg())
    client.force_login(world.users["community"])
    response = client.post(
        reverse("stations:act", args=[station.pk, "unphoto"]), {"photo": photo.pk}
    )
    assert response.status_code == 302 and not StationPhoto.objects.exists()
    assert AuditEvent.objects.filter(verb="station.photo_remove").count() == 1


def test_a_stopped_station_keeps_its_pictures_for_its_staff(client, world):
    # The walk of the demo: a stopped station's page offered 公众页面 (a 404) and showed
    # its pictures through the public address (404 too: broken images for its staff).
    station = make_station(world)
    staff = world.users["community"]
    photo = services.photo_add(actor=staff, station=station, image=_jpeg())
    services.station_update(actor=staff, station=station, active=False)
    url = reverse("stations:photo", args=[station.pk, photo.pk, "thumb"])
    client.force_login(staff)
    page = client.get(reverse("stations:station", args=[station.pk])).content.decode()
    assert url in page
    assert f'href="{reverse("stations:public", args=[station.pk])}"' not in page
    served = client.get(url)
    assert served.status_code == 200
    assert "no-store" in served["Cache-Control"]
    client.force_login(world.users["outsider"])  # another street's admin: not theirs
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
