"""Login safety: lockout, idle expiry, password rules, first-login change, TOTP for admins."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from genxi.core.testing.world import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_for_30_minutes(client, world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    for _ in range(4):
        assert _login(client, "street", "wrong").status_code == 200
    assert _login(client, "street", "wrong").status_code == 429
    # Locked: even the right password is refused now.
    response = _login(client, "street", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert _login(client, "community", PASSWORD).status_code == 302


def test_idle_session_expires_after_30_minutes(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert _login(client, "street", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "password", ["short1A", "password123", "alllowercaseletters", "12345678901", "genxistreet"]
)
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.users["street"])


def test_strong_password_is_accepted(world):
    validate_password("Haitang#Xian9", world.users["street"])


def test_first_login_must_change_password_under_production_policy(client, world, settings):
    settings.GENXI_FORCE_PASSWORD_CHANGE = True
    user = world.users["street"]
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Haitang#Xian9",
            "new_password2": "Haitang#Xian9",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_admin_roles_need_totp_under_production_policy(client, world, settings):
    settings.GENXI_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off after the wrong code below
    client.force_login(world.users["auditor"])
    response = client.get(reverse("audit"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    client.get(reverse("two_factor"))  # enrolment creates an unconfirmed device
    device = TOTPDevice.objects.get(user=world.users["auditor"])
    assert client.post(reverse("two_factor"), {"token": "000000"}).status_code == 200
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert client.post(reverse("two_factor"), {"token": code}).status_code == 302
    assert client.get(reverse("audit")).status_code == 200
    # Other roles are not asked for a second factor.
    client.force_login(world.users["community"])
    assert client.get(reverse("home")).status_code == 200


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "genxi.config.settings.prod",
        "SECRET_KEY": "x7#kQ!v2$Lr9@pZ4^mW8&nT1*bY6(hJ3)cF5_gD0+sA-eR2=uI4%oP7",
        "GENXI_FIELD_KEY": "prod-field-key-for-the-check",
        "GENXI_INDEX_KEY": "prod-index-key-for-the-check",
        "ALLOWED_HOSTS": "genxi.example.gov.cn",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    # Production refuses passphrases: real Fernet keys (genxi.core.checks).
    env["GENXI_FIELD_KEY"] = "o2I1FPU_dMUvtLqNEXRWrcgdTZDlDSHySrSZBmvjzq0="
    env["GENXI_INDEX_KEY"] = "FhvOJI9mmgNkYeNXedUVYXrrkraWoyhXJyIVfjfyE0M="
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_with_personal_data_are_not_cached(client, world):
    r = world.resident(world.grid_a1)
    client.force_login(world.users["community"])
    response = client.get(reverse("people:resident", args=[r.pk]))
    assert response["Cache-Control"] == "no-store"
    api = client.get(f"/api/v1/residents/{r.pk}")
    assert api["Cache-Control"] == "no-store"
