"""The offline pieces every page carries (docs/offline.md): the service worker at the site's
root, the manifest that makes genxi installable, the outbox's words and the offline page."""

import json

from django.urls import reverse


def test_the_service_worker_covers_the_site_and_keeps_the_shell(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    shell = json.loads(body.split("const SHELL = ")[1].split(";\n")[0])
    assert "/static/genxi/outbox.js" in shell and "/static/genxi/genxi.css" in shell
    # Never kept: logins, the admin, the API, the audit log.
    assert '"/accounts/", "/admin/", "/api/", "/audit/"' in body
    assert 'const OFFLINE = "/offline/"' in body


def test_the_manifest_makes_an_installable_app(client):
    manifest = client.get(reverse("manifest")).json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200 or icon["src"].startswith("/static/")


def test_signed_in_pages_carry_the_outbox_and_others_do_not(client, world):
    anonymous = client.get(reverse("login")).content.decode()
    assert "outbox.js" not in anonymous and 'id="outbox-bar"' not in anonymous
    client.force_login(world.users["grid"])
    body = client.get(reverse("inbox")).content.decode()
    assert 'id="outbox-bar"' in body and "genxi/outbox.js" in body
    assert f'data-user="{world.users["grid"].pk}"' in body
    words = json.loads(body.split('id="outbox-text" type="application/json">')[1].split("<")[0])
    assert words["waiting"] == "待发送 %(n)s 条"
    assert "form[data-logout]" not in body and "data-logout" in body


def test_the_offline_page_says_what_to_do(client):
    body = client.get(reverse("offline")).content.decode()
    assert "没有网络" in body and "联网后" in body
