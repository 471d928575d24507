"""The second factor's `next` parameter is checked as the login checks it: no open redirect."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def _enrolled(client, world, settings):
    settings.GENXI_REQUIRE_2FA = True
    client.force_login(world.users["auditor"])
    client.get(reverse("two_factor"))  # enrolment creates the device
    return TOTPDevice.objects.get(user=world.users["auditor"])


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/audit/",
        "https:evil.example",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_an_outside_next_goes_home(client, world, settings, target):
    device = _enrolled(client, world, settings)
    response = client.post(f"{reverse('two_factor')}?next={target}", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_next_on_this_site_is_followed(client, world, settings):
    device = _enrolled(client, world, settings)
    response = client.post(
        f"{reverse('two_factor')}?next=/audit/?verb=auth", {"token": _code(device)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/audit/?verb=auth"


def test_an_http_next_is_refused_on_an_https_request(client, world, settings):
    device = _enrolled(client, world, settings)
    response = client.post(
        f"{reverse('two_factor')}?next=http://testserver/audit/",
        {"token": _code(device)},
        secure=True,
    )
    assert response["Location"] == reverse("home")
