import pytest


def test_healthz_reports_database_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_healthz_answers_503_when_the_channel_layer_is_down(client, db, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "error" and body["channel_layer"].startswith("error:")


@pytest.mark.django_db
def test_security_headers_and_csrf(client):
    from tests.factories import MemberFactory

    client = type(client)(enforce_csrf_checks=True)
    client.force_login(MemberFactory())
    assert client.post("/members/me/edit/", {"display_name": "x"}).status_code == 403
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
