import pytest

from tests.servers import free_port


def test_healthz_reports_database_cache_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "channel_layer": "ok"}


def test_healthz_is_degraded_not_503_when_the_channel_layer_is_down(client, db, settings):
    # Redis is shared by every web process: a 503 would take them all out of service at once.
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "ok")
    assert body["channel_layer"].startswith("error:")


def test_healthz_says_the_cache_is_down(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "community.cache.FailSoftRedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "error: ConnectionError",
        "channel_layer": "ok",
    }


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db import OperationalError

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("community.health.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "error: OperationalError"


@pytest.mark.django_db
def test_security_headers_and_csrf(client):
    from tests.factories import MemberFactory

    client = type(client)(enforce_csrf_checks=True)
    client.force_login(MemberFactory())
    assert client.post("/members/me/edit/", {"display_name": "x"}).status_code == 403
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
