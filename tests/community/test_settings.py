"""Settings read from the environment: EMAIL_URL's mailer, and production's cookies (a settings
module is imported once per process, so production's are read in a subprocess)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from community.mail import CONSOLE, SMTP, mailers_from_url


def test_consolemail_prints_mail():
    assert mailers_from_url("consolemail://") == {"default": {"BACKEND": CONSOLE}}


def test_no_email_url_prints_mail():
    assert mailers_from_url("") == {"default": {"BACKEND": CONSOLE}}


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("smtp://mail.example.org:25", {"host": "mail.example.org", "port": 25, "use_tls": False, "use_ssl": False}),
        ("smtp://mail.example.org", {"host": "mail.example.org", "port": 25}),
        ("smtps://u:p@mail.example.org:587", {"port": 587, "username": "u", "password": "p", "use_tls": True}),
        ("smtp+tls://u%40example.org:s3cret@mail.example.org:587", {"username": "u@example.org", "use_tls": True}),
        ("smtp+ssl://u:p@mail.example.org:465", {"port": 465, "use_ssl": True, "use_tls": False}),
    ],
)
def test_smtp_urls_give_the_smtp_mailer(url, options):
    mailer = mailers_from_url(url)["default"]
    assert mailer["BACKEND"] == SMTP
    assert options.items() <= mailer["OPTIONS"].items()


def test_other_backends_by_url():
    assert mailers_from_url("memorymail://")["default"]["BACKEND"].endswith("locmem.EmailBackend")
    assert mailers_from_url("dummymail://")["default"]["BACKEND"].endswith("dummy.EmailBackend")
    assert mailers_from_url("filemail:///var/mail/mutua")["default"]["OPTIONS"] == {"file_path": "/var/mail/mutua"}


@pytest.mark.parametrize("url", ["smpt://mail.example.org", "smtp://"])
def test_an_unusable_email_url_stops_the_start_with_a_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        mailers_from_url(url)


def production_settings(**env) -> dict:
    """Some settings as a production process reads them (DEBUG=0, the .ci/run environment)."""
    names = ["MAILERS", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    names += ["SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-production-settings-key-" + "x" * 40,
        "ALLOWED_HOSTS": "mutua.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587",
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=django_settings.BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_reads_consolemail_as_the_console():
    assert production_settings(EMAIL_URL="consolemail://")["MAILERS"] == {"default": {"BACKEND": CONSOLE}}


def test_production_cookies_carry_the_host_prefix():
    production = production_settings()
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # what the prefix requires of them, or the browser drops them
    assert production["SESSION_COOKIE_SECURE"] is production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_PATH"] == production["CSRF_COOKIE_PATH"] == "/"
    assert production["SESSION_COOKIE_DOMAIN"] is production["CSRF_COOKIE_DOMAIN"] is None


def test_a_sign_in_sets_host_prefixed_cookies(client, ana, settings):
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get("/accounts/login/")
    from tests.factories import PASSWORD

    client.post("/accounts/login/", {"login": ana.email, "password": PASSWORD})
    session = client.cookies["__Host-sessionid"]
    assert session["secure"] and session["path"] == "/" and not session["domain"]
    assert client.cookies["__Host-csrftoken"]["secure"]
    assert client.get("/members/me/edit/").status_code == 200  # the renamed session cookie is read back
