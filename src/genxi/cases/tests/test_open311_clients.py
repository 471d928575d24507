"""Open311 clients are made and revoked through one service, by the command and by the
system admin in the admin: the key is shown once, only its digest is kept, every step is
audited, and a name in use is refused on the form with nothing written."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from genxi.cases.models import Open311Client
from genxi.cases.open311.services import open311_client_create, open311_client_revoke
from genxi.core.models import AuditEvent


def test_the_admin_makes_a_client_with_a_key_shown_once(client, world):
    admin = world.users["system_admin"]
    client.force_login(admin)
    response = client.post(reverse("admin:cases_open311client_add"), {"name": "市12345热线"})
    assert response.status_code == 302, response.content.decode()[:1500]
    made = Open311Client.objects.get(name="市12345热线")
    (shown,) = [str(m) for m in get_messages(response.wsgi_request) if "密钥" in str(m)]
    key = shown.rsplit(":", 1)[1]
    assert (
        made.active and made.digest == Open311Client.digest_of(key) and key.startswith(made.prefix)
    )
    event = AuditEvent.objects.get(verb="open311.key_create")
    assert event.actor == admin and key not in str(event.after)


def test_a_name_in_use_is_refused_on_the_form(client, world):
    open311_client_create(actor=None, name="市12345热线")
    client.force_login(world.users["system_admin"])
    response = client.post(reverse("admin:cases_open311client_add"), {"name": "市12345热线"})
    assert response.status_code == 200
    assert "已有同名的启用客户端" in response.content.decode()
    assert Open311Client.objects.count() == 1
    assert AuditEvent.objects.filter(verb="open311.key_create").count() == 1


def test_turning_a_client_off_in_the_admin_revokes_its_key(client, world):
    made, _key = open311_client_create(actor=None, name="市12345热线")
    client.force_login(world.users["system_admin"])
    url = reverse("admin:cases_open311client_change", args=[made.pk])
    assert client.post(url, {}).status_code == 302  # the "active" box left unticked
    made.refresh_from_db()
    assert not made.active
    assert AuditEvent.objects.get(verb="open311.key_revoke").actor == world.users["system_admin"]
    body = client.get(url).content.decode()
    assert 'name="active"' not in body  # a revoked key is not switched back on: make a new one


@pytest.mark.django_db
def test_a_revoked_name_takes_a_new_key():
    first, old = open311_client_create(actor=None, name="网格通")
    open311_client_revoke(actor=None, client=first)
    again, new = open311_client_create(actor=None, name="网格通")
    assert again.pk == first.pk and again.active and new != old
    assert again.digest == Open311Client.digest_of(new)
    with pytest.raises(ValidationError) as refused:
        open311_client_create(actor=None, name="网格通")
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError):
        open311_client_create(actor=None, name="  ")
