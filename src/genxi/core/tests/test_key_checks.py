"""Weak or malformed personal-data keys are refused: by `check --deploy` and at a production start."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from genxi.core.checks import check_personal_data_keys


def _real_key() -> str:
    return Fernet.generate_key().decode()


def _ids(messages) -> list[tuple[str, str]]:
    return [(m.id, m.msg) for m in messages]


# A fixed well-formed key: parameters must be the same in every xdist worker.
_FIXED = "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY="


@pytest.mark.parametrize(
    "bad",
    [
        "x",
        "genxi-demo-field-key-not-for-production",  # the demo's key, published
        "test-field-key-current",
        "A" * 43 + "=",  # well-formed, but 32 zero bytes
        "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE",  # no padding: 43 characters
        _FIXED[:-2] + "==",  # not 32 bytes
        _FIXED.replace("=", "") + "!",  # not URL-safe base64
    ],
)
def test_a_bad_encrypting_key_is_an_error(bad):
    with override_settings(GENXI_FIELD_KEYS=[bad], GENXI_INDEX_KEY=_real_key()):
        messages = check_personal_data_keys()
    assert [m.id for m in messages] == ["genxi.E001"], _ids(messages)
    assert "GENXI_FIELD_KEY" in messages[0].msg


def test_real_keys_pass():
    with override_settings(
        GENXI_FIELD_KEYS=[_real_key(), _real_key()], GENXI_INDEX_KEY=_real_key()
    ):
        assert check_personal_data_keys() == []


def test_a_bad_older_key_is_a_warning_so_that_it_can_be_rotated_away():
    with override_settings(GENXI_FIELD_KEYS=[_real_key(), "old-passphrase"], GENXI_INDEX_KEY=""):
        messages = check_personal_data_keys()
    assert [m.id for m in messages] == ["genxi.W001"]
    assert "rotate_field_key" in messages[0].msg


@pytest.mark.parametrize("bad", ["x", "test-index-key-not-for-production", "B" * 43 + "="])
def test_a_bad_index_key_is_an_error(bad):
    with override_settings(GENXI_FIELD_KEYS=[_real_key()], GENXI_INDEX_KEY=bad):
        messages = check_personal_data_keys()
    assert [m.id for m in messages] == ["genxi.E001"]
    assert "GENXI_INDEX_KEY" in messages[0].msg


def test_check_deploy_fails_on_a_weak_key():
    with override_settings(GENXI_FIELD_KEYS=["x"]), pytest.raises(SystemCheckError, match="E001"):
        call_command("check", deploy=True, tags=["security"])
    # The check is a deploy check: plain `check` (runserver, migrate) does not run it.
    with override_settings(GENXI_FIELD_KEYS=["x"]):
        call_command("check", tags=["security"])


def _start_production(field_key: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "genxi.config.settings.prod",
        "SECRET_KEY": "x7#kQ!v2$Lr9@pZ4^mW8&nT1*bY6(hJ3)cF5_gD0+sA-eR2=uI4%oP7",
        "GENXI_FIELD_KEY": field_key,
        "GENXI_INDEX_KEY": _real_key(),
        "ALLOWED_HOSTS": "genxi.example.gov.cn",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_with_a_weak_key():
    result = _start_production("x")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "GENXI_FIELD_KEY" in result.stderr
    assert _start_production(_real_key()).returncode == 0
