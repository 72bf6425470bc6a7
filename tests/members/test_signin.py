"""Every door applies /accounts/login/'s rules: verified e-mail, the same lockout, the same limits.
Wagtail's (admin and front-end) and the admin's login pages hand over to allauth's; the token endpoint checks through
members.signin."""

from html.parser import HTMLParser

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.roles import Role
from tests.factories import PASSWORD, MemberFactory

TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
KEY_LIMIT = 5  # ACCOUNT_RATE_LIMITS login_failed: 5/5m/key


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def unverified(db):
    return MemberFactory(handle="uma", verified=False)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def allauth_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def fail_at_allauth(client, email, times=KEY_LIMIT):
    for _ in range(times):
        allauth_login(client, email, "wrong-guess")


# The Wagtail and admin doors


@pytest.mark.parametrize("door", ["/cms/login/", "/admin/login/", "/_util/login/"])
def test_the_cms_and_admin_login_pages_send_visitors_to_allauths(client, door):
    response = client.get(door, {"next": "/cms/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcms%2Fpages%2F"


@pytest.mark.parametrize("door", ["/cms/login/", "/admin/login/", "/_util/login/"])
def test_an_unverified_account_gets_no_session_from_the_cms_or_admin_login(client, unverified, door):
    unverified.is_staff = True
    unverified.save(update_fields=["is_staff"])
    response = client.post(door, {"username": "uma", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)


@pytest.mark.parametrize("door", ["/cms/login/", "/admin/login/", "/_util/login/"])
def test_a_locked_out_account_gets_no_session_from_the_cms_or_admin_login(client, db, door):
    manager = MemberFactory(handle="mia", role=Role.MANAGER)
    fail_at_allauth(client, manager.email)
    response = client.post(door, {"username": "mia", "password": PASSWORD})
    assert response.status_code == 302 and not signed_in(client)
    # and allauth's own page refuses the right password too: one lockout for every door
    allauth_login(client, manager.email, PASSWORD)
    assert not signed_in(client)


def test_guessing_at_the_cms_login_is_never_checked(client, db):
    MemberFactory(handle="mia", role=Role.MANAGER)
    for _ in range(30):
        client.post("/cms/login/", {"username": "mia", "password": "wrong-guess"})
    assert client.post("/cms/login/", {"username": "mia", "password": PASSWORD}).status_code == 302
    assert not signed_in(client)


def test_the_cms_and_admin_send_signed_out_visitors_to_allauth(client, db):
    assert client.get("/cms/")["Location"] == "/accounts/login/?next=/cms/"
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_page_for_signed_in_readers_sends_visitors_to_allauth(client, db):
    from wagtail.models import Page, PageViewRestriction

    page = Page.objects.filter(depth=2).first()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_cms_password_reset_is_allauths(client, db):
    assert client.get("/cms/password_reset/")["Location"] == "/accounts/password/reset/"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER])
def test_staff_signed_in_through_allauth_reach_the_admin_and_the_cms(client, db, role):
    staff = MemberFactory(role=role)
    response = allauth_login(client, staff.email, PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/cms/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_allauth_refuses_an_unverified_account(client, unverified):
    allauth_login(client, unverified.email, PASSWORD)
    assert not signed_in(client)


# The token door


def test_a_verified_member_gets_a_token_by_handle_or_email(api, ana):
    by_handle = api.post(TOKEN, {"username": "ana", "password": PASSWORD}, format="json")
    assert by_handle.status_code == 200
    by_email = api.post(TOKEN, {"username": ana.email.upper(), "password": PASSWORD}, format="json")
    assert by_email.json()["token"] == by_handle.json()["token"] == Token.objects.get(user=ana).key


def test_an_unverified_account_gets_no_token(api, unverified):
    response = api.post(TOKEN, {"username": "uma", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "Verify your e-mail address" in response.json()["detail"]
    assert not Token.objects.filter(user=unverified).exists()


def test_an_inactive_account_gets_no_token(api, ana):
    ana.is_active = False
    ana.save(update_fields=["is_active"])
    assert api.post(TOKEN, {"username": "ana", "password": PASSWORD}, format="json").status_code == 403
    assert not Token.objects.filter(user=ana).exists()


def test_an_account_locked_out_at_allauth_gets_no_token(client, api, ana):
    fail_at_allauth(client, ana.email)
    response = api.post(TOKEN, {"username": "ana", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert not Token.objects.filter(user=ana).exists()


def test_guessing_at_the_token_door_locks_the_account_at_every_door(client, api, ana):
    for _ in range(KEY_LIMIT):
        assert api.post(TOKEN, {"username": "ana", "password": "wrong-guess"}, format="json").status_code == 400
    assert api.post(TOKEN, {"username": "ana", "password": PASSWORD}, format="json").status_code == 429
    allauth_login(client, ana.email, PASSWORD)
    assert not signed_in(client)


def test_a_right_password_does_not_use_up_the_limit(api, ana):
    for _ in range(KEY_LIMIT + 1):
        assert api.post(TOKEN, {"username": "ana", "password": PASSWORD}, format="json").status_code == 200


def test_the_token_door_has_a_throttle_of_its_own(api, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's limits off: the DRF throttle alone (10/min)
    for n in range(10):
        assert api.post(TOKEN, {"username": f"nobody{n}", "password": "x"}, format="json").status_code == 400
    response = api.post(TOKEN, {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "body, answer",
    [
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
        ({"username": "ana"}, {"password": ["This field is required."]}),
        ({"username": ["ana"], "password": PASSWORD}, {"username": ["Not a valid string."]}),
        (["ana", PASSWORD], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
def test_an_incomplete_token_request_is_a_400_with_a_message(api, ana, body, answer):
    response = api.post(TOKEN, body, format="json")
    assert response.status_code == 400
    assert response.json() == answer


def test_the_first_administrator_verifies_their_address_on_first_sign_in(client, db, mailoutbox, monkeypatch):
    """The README's step: `createsuperuser`, then sign in at /accounts/login/ and follow the mailed link."""
    import re

    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)
    allauth_login(client, "root@example.org", PASSWORD)
    assert not signed_in(client)
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body).group(1)
    client.post(link)
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200 and client.get("/cms/").status_code == 200


def test_a_sign_in_lands_where_it_was_going_else_home_and_only_an_empty_profile_is_asked_for(client, db):
    # Given a member who has said who they are, and one who has not yet
    known = MemberFactory(profile={"headline": "Community lead at Harbour"})
    newcomer = MemberFactory()
    # Then the first lands on the home page, or where they were going
    assert allauth_login(client, known.email, PASSWORD)["Location"] == "/"
    client.logout()
    going = client.post(f"{LOGIN}?next=/forums/", {"login": known.email, "password": PASSWORD})
    assert going["Location"] == "/forums/"
    client.logout()
    # And the newcomer is invited to fill in their profile
    assert allauth_login(client, newcomer.email, PASSWORD)["Location"] == "/members/me/edit/"


class _FormInputs(HTMLParser):
    """The hidden and other inputs inside the page's form that posts to `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.inputs = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == self.action:
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_inputs(response, action: str) -> dict:
    parser = _FormInputs(action)
    parser.feed(response.content.decode())
    return parser.inputs


@pytest.mark.parametrize("door", [LOGIN, "/accounts/signup/"])
def test_the_sign_in_and_sign_up_forms_carry_their_token_and_where_to_go_even_when_refused(client, db, door):
    # Given a visitor sent to sign in (or join) on their way to the forums
    page = client.get(door, {"next": "/forums/"})
    # Then the form itself holds the CSRF token and the way on
    inputs = form_inputs(page, door)
    assert inputs["csrfmiddlewaretoken"] and inputs["next"] == "/forums/"
    # And so does the form shown again with its errors
    refused = client.post(f"{door}?next=/forums/", {"login": "nobody@example.org", "password": "wrong-guess",
                                                    "email": "not-an-address", "password1": "x", "next": "/forums/"})
    assert refused.status_code == 200
    inputs = form_inputs(refused, door)
    assert inputs["csrfmiddlewaretoken"] and inputs["next"] == "/forums/"


def test_a_sign_in_after_a_wrong_password_still_lands_where_it_was_going(client, db):
    member = MemberFactory()
    client.post(LOGIN, {"login": member.email, "password": "wrong-guess", "next": "/forums/"})
    going = client.post(LOGIN, {"login": member.email, "password": PASSWORD, "next": "/forums/"})
    assert going.status_code == 302 and going["Location"] == "/forums/"
