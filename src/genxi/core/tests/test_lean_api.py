"""The token API's lean path (docs/decisions/0038-lean-api-path.md): a call by bearer token
skips the session, CSRF, OTP, messages and htmx middleware, keeps the rest, and is
never the session's user."""

from io import StringIO

from django.core.management import call_command

from genxi.core.middleware import token_api


def _token(username: str) -> str:
    out = StringIO()
    call_command("token", "create", username, stdout=out)
    return out.getvalue().strip()


def _grids(client, **headers) -> tuple[int, list[str]]:
    answer = client.get("/api/v1/grids", **headers)
    body = answer.json()["items"] if answer.status_code == 200 else []
    return answer.status_code, sorted(g["code"] for g in body)


def test_a_bearer_call_is_the_tokens_user_whatever_session_it_carries(client, world):
    raw = _token("community")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    alone = _grids(client, **bearer)
    client.force_login(world.users["street"])
    street = _grids(client)
    assert alone[0] == street[0] == 200 and alone[1] != street[1]
    assert _grids(client, **bearer) == alone  # the street's session beside it: ignored
    # A token that is not valid is refused, not taken for the session it came with.
    assert _grids(client, HTTP_AUTHORIZATION="Bearer gx_not-a-token")[0] == 401


def test_a_bearer_answer_keeps_the_headers_and_sets_no_cookie(client, world):
    raw = _token("community")
    answer = client.get("/api/v1/grids", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store" and answer["X-Request-ID"]
    assert (
        answer["X-Frame-Options"] == "DENY" and "default-src" in answer["Content-Security-Policy"]
    )
    assert "Vary" not in answer or "Cookie" not in answer["Vary"]
    assert not answer.cookies  # no session, no CSRF cookie


def test_only_an_api_path_with_a_bearer_header_takes_the_lean_path(rf):
    assert token_api(rf.get("/api/v1/grids", HTTP_AUTHORIZATION="Bearer x"))
    assert not token_api(rf.get("/api/v1/grids"))
    assert not token_api(rf.get("/api/v1/grids", HTTP_AUTHORIZATION="Basic eDp5"))
    assert not token_api(rf.get("/cases/", HTTP_AUTHORIZATION="Bearer x"))
