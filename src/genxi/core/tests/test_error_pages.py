"""What a person sees when a page is not there, not theirs, expired or broken: Chinese words
in the site's frame, never Django's English defaults."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_or_out_of_scope_page_says_so_in_chinese(client, world):
    client.force_login(world.users["grid"])
    missing = client.get("/no/such/page/")
    body = missing.content.decode()
    assert missing.status_code == 404 and 'id="not-found"' in body
    assert "没有找到这个页面" in body and "Not Found" not in body


def test_a_refused_step_says_why_in_chinese(client, world, settings):
    client.force_login(world.users["street"])
    # Accounts are the security admin's: a street admin is refused.
    response = client.get(reverse("admin:people_user_changelist"))
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="forbidden"' in body and "没有权限" in body and "Forbidden" not in body


def test_an_expired_form_says_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403 and 'id="csrf-failure"' in body
    assert "页面已过期" in body and "CSRF verification failed" not in body


def test_a_server_error_page_stands_without_a_request():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert 'id="server-error"' in html and "出错了" in html
