"""Two-factor sign-in (allauth.mfa): enrolment with a code computed here, sign-in with a TOTP code or
a recovery code, the roles that must enrol, and every door: allauth's page (where /cms/ and /admin/
send everyone) and the API token endpoint."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.roles import Role
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def totp_code(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as an authenticator app computes it (HMAC-SHA1 over the 30-second counter)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def enrol(member) -> tuple[str, list[str]]:
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    codes = RecoveryCodes.activate(member).get_unused_codes()
    return secret, codes


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, member, **extra):
    return client.post(LOGIN, {"login": member.email, "password": PASSWORD, **extra})


@pytest.fixture(autouse=True)
def required_of_administrators(settings):
    settings.MFA_REQUIRED_ROLES = ["administrator"]  # the default, which tests elsewhere turn off


@pytest.fixture
def nora(db):
    return MemberFactory(handle="nora")


@pytest.fixture
def admin(db):
    return MemberFactory(handle="ada", role=Role.ADMINISTRATOR)


# Enrolment


def reauthenticate(client):
    """allauth asks for the password again before two-factor sign-in is turned on or off."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def test_a_member_enrols_with_a_code_from_their_app_and_gets_recovery_codes(client, nora):
    sign_in(client, nora)
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200 and b"<svg" in page.content and b"Set up your authenticator app" in page.content
    secret = page.context["form"].secret
    refused = client.post("/accounts/2fa/totp/activate/", {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert refused.status_code == 200 and not Authenticator.objects.filter(user=nora).exists()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=nora).values_list("type", flat=True)) == {"totp", "recovery_codes"}
    index = client.get("/accounts/2fa/")
    assert b"On: Mutua asks for a code" in index.content and b"10 of 10 codes left" in index.content


def test_the_settings_page_offers_two_factor_sign_in(client, nora):
    client.force_login(nora)
    page = client.get("/members/me/settings/")
    assert b"Turn on two-factor sign-in" in page.content
    enrol(nora)
    assert b"Two-factor sign-in is on" in client.get("/members/me/settings/").content


# Signing in


def test_sign_in_asks_for_the_code_after_the_password(client, nora):
    secret, _ = enrol(nora)
    response = sign_in(client, nora)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    page = client.get("/accounts/2fa/authenticate/")
    assert b"Your second step" in page.content
    assert client.post("/accounts/2fa/authenticate/", {"code": "12345x"}).status_code == 200
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302 and signed_in(client)


def test_a_recovery_code_signs_in_once(client, nora):
    _, codes = enrol(nora)
    sign_in(client, nora)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert signed_in(client)
    client.post("/accounts/logout/")
    sign_in(client, nora)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert not signed_in(client)


def test_the_cms_door_goes_through_the_second_step(client, admin):
    secret, _ = enrol(admin)
    response = client.post(f"{LOGIN}?next=/cms/", {"login": admin.email, "password": PASSWORD, "next": "/cms/"})
    assert response["Location"] == "/accounts/2fa/authenticate/" and not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/cms/" and signed_in(client)
    assert client.get("/cms/").status_code == 200


# Required roles


def test_an_administrator_without_a_second_factor_is_sent_to_enrolment(client, admin):
    response = sign_in(client, admin)
    assert signed_in(client)
    for path in (response["Location"], "/members/", "/cms/", "/admin/", "/pay-it-back/"):
        page = client.get(path)
        assert page.status_code == 302 and page["Location"] == "/accounts/2fa/totp/activate/", path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    reauthenticate(client)  # the account pages stay open to them
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    enrol(admin)
    assert client.get("/members/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_members_of_other_roles_are_not_required_to_enrol(client, nora, db):
    for member in (nora, MemberFactory(handle="mia", role=Role.MANAGER)):
        client.force_login(member)
        assert client.get("/members/").status_code == 200


def test_the_required_roles_come_from_the_setting(client, settings, db):
    settings.MFA_REQUIRED_ROLES = ["community manager", "sponsor"]
    manager = MemberFactory(handle="mia", role=Role.MANAGER)
    sponsor = MemberFactory(handle="sam", role=Role.SPONSOR)
    admin = MemberFactory(handle="ada", role=Role.ADMINISTRATOR)
    for member, sent in ((manager, True), (sponsor, True), (admin, False)):
        client.force_login(member)
        assert (client.get("/members/").status_code == 302) is sent, member.username
    settings.MFA_REQUIRED_ROLES = []
    client.force_login(manager)
    assert client.get("/members/").status_code == 200


# The token door


@pytest.fixture
def api():
    return APIClient()


def test_the_token_endpoint_asks_an_account_with_two_factors_for_its_code(api, nora):
    secret, codes = enrol(nora)
    missing = api.post(TOKEN, {"username": "nora", "password": PASSWORD})
    assert missing.status_code == 401 and "code" in missing.json()["detail"]
    wrong = api.post(TOKEN, {"username": "nora", "password": PASSWORD, "code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 400 and not Token.objects.filter(user=nora).exists()
    right = api.post(TOKEN, {"username": "nora", "password": PASSWORD, "code": totp_code(secret)})
    assert right.status_code == 200 and right.json()["token"] == Token.objects.get(user=nora).key
    # a recovery code works once
    assert api.post(TOKEN, {"username": "nora", "password": PASSWORD, "code": codes[0]}).status_code == 200
    assert api.post(TOKEN, {"username": "nora", "password": PASSWORD, "code": codes[0]}).status_code == 400


def test_the_token_endpoint_checks_the_password_before_the_code(api, nora):
    secret, _ = enrol(nora)
    response = api.post(TOKEN, {"username": "nora", "password": "wrong-guess", "code": totp_code(secret)})
    assert response.status_code == 400 and "password" in response.json()["detail"]


def test_a_member_without_two_factors_gets_a_token_as_before(api, nora):
    assert api.post(TOKEN, {"username": "nora", "password": PASSWORD}).status_code == 200


def test_an_administrator_who_has_not_enrolled_gets_no_token_and_an_old_token_stops_working(api, admin):
    refused = api.post(TOKEN, {"username": "ada", "password": PASSWORD})
    assert refused.status_code == 403 and "two-factor" in refused.json()["detail"]
    old = Token.objects.create(user=admin)
    api.credentials(HTTP_AUTHORIZATION=f"Token {old.key}")
    assert api.get("/api/v1/me/").status_code in (401, 403)
    secret, _ = enrol(admin)
    assert api.get("/api/v1/me/").status_code == 200
    api.credentials()
    assert api.post(TOKEN, {"username": "ada", "password": PASSWORD, "code": totp_code(secret)}).status_code == 200


def test_guessing_codes_at_the_token_endpoint_is_limited(api, nora):
    enrol(nora)
    statuses = [
        api.post(TOKEN, {"username": "nora", "password": PASSWORD, "code": f"{n:06d}"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(1, 12)
    ]
    assert 429 in statuses


def test_the_second_step_offers_a_security_key_only_to_a_member_who_added_one(client, nora):
    enrol(nora)
    sign_in(client, nora)
    page = client.get("/accounts/2fa/authenticate/")
    assert b"Use a security key" not in page.content and b"<script>" not in page.content
