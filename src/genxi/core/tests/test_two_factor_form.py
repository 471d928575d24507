"""The second factor's code goes through a form: a wrong or malformed code is shown beside
the field and confirms nothing."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from genxi.core.forms import TwoFactorForm

pytestmark = pytest.mark.django_db

WRONG = '<div class="text-danger small" data-error-for="token">验证码不正确,请重新输入。</div>'


def test_the_form_takes_six_to_eight_digits():
    assert TwoFactorForm({"token": " 123456 "}).is_valid()
    for bad in ("", "12345", "abcdef", "123456789", "12 3456"):
        assert not TwoFactorForm({"token": bad}).is_valid(), bad


@pytest.mark.parametrize("token", ["000000", "abc"])
def test_a_wrong_code_shows_beside_the_field(client, world, settings, token):
    settings.GENXI_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(world.users["auditor"])
    client.get(reverse("two_factor"))
    response = client.post(reverse("two_factor"), {"token": token})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not TOTPDevice.objects.get(user=world.users["auditor"]).confirmed
