"""The account pages in Mutua's words: one name per thing (a "handle"), the rules under each field
before anyone fails them (linked with aria-describedby), handles normalised rather than refused,
friendly errors, and passwords that survive an error elsewhere but not their own."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from members.account_forms import suggest_handle
from members.models import Member
from tests.factories import PASSWORD, MemberFactory

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
NEW_PASSWORD = "tide-lantern-orchard-91"
# allauth's stock wording, which none of the pages should show any more.
STOCK_WORDS = [
    "Sign In", "Sign Up", "Signup", "Remember Me", "Username", "Sign Out", "Email Addresses",
    "Confirm Email Address", "Verify Your Email Address", "Password Reset", "Change Password",
    "Confirm Access", "Please reauthenticate", "Make Primary", "Re-send Verification", "Add Email",
    "Current Password", "New Password", "(again)", "Forgot Password",
]


def signup(client, **fields):
    data = {"email": "nora@example.org", "username": "nora", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(SIGNUP, {**data, **fields})


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    return match.group(0)


def text_of(response) -> str:
    """The page's visible words (tags and the hidden attributes' values left out)."""
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_signup_names_the_handle_and_shows_every_rule_up_front(client, db):
    response = client.get(SIGNUP)
    page = response.content.decode()
    assert re.search(r'<label for="id_username">Handle</label>', page)
    assert re.search(r'<label for="id_email">Email address</label>', page)
    assert re.search(r'<label for="id_password2">Password again</label>', page)
    # The rules are there before any error, each tied to its field.
    assert 'id="id_username_helptext"' in page and "Capitals become lower-case" in page
    assert 'aria-describedby="id_username_helptext"' in input_tag(page, "username")
    assert 'aria-describedby="id_password1_helptext"' in input_tag(page, "password1")
    assert "At least 8 characters" in page
    assert "placeholder=" not in page.split('<main', 1)[1]  # the header's search box may have one
    assert re.search(r"<button[^>]*>\s*Sign up\s*</button>", page)
    assert not [word for word in STOCK_WORDS if word in text_of(response)]


@pytest.mark.parametrize("typed", ["Nora_New", "  Nora_New ", "NORA_NEW"])
def test_a_handle_with_capitals_or_spaces_around_is_lower_cased_not_refused(client, db, typed):
    response = signup(client, username=typed)
    assert response.status_code == 302, text_of(response)
    assert Member.objects.get(email="nora@example.org").username == "nora_new"


def test_a_handle_that_differs_only_in_case_from_a_taken_one_is_taken(client, db):
    MemberFactory(handle="nora")
    response = signup(client, username="Nora")
    assert response.status_code == 200
    assert "That handle is taken" in response.content.decode()
    assert Member.objects.filter(username="nora").count() == 1


def test_a_taken_handle_keeps_both_passwords_and_says_what_to_do(client, db):
    MemberFactory(handle="nora")
    response = signup(client)
    page = response.content.decode()
    assert "That handle is taken: try another" in page
    handle = input_tag(page, "username")
    assert 'aria-invalid="true"' in handle and "id_username_error" in handle  # the error is announced with it
    # The passwords passed their own checks: typed again for an unrelated mistake, they are kept.
    assert f'value="{NEW_PASSWORD}"' in input_tag(page, "password1")
    assert f'value="{NEW_PASSWORD}"' in input_tag(page, "password2")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("short", "short", "too short"),
        ("password123", "password123", "too common"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ"),
    ],
)
def test_a_refused_password_is_cleared_with_a_reason(client, db, password1, password2, message):
    response = signup(client, password1=password1, password2=password2)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "value=" not in input_tag(page, "password1")
    assert "value=" not in input_tag(page, "password2")
    assert 'value="nora"' in input_tag(page, "username")  # what was fine is kept
    assert not Member.objects.filter(email="nora@example.org").exists()


def test_a_handle_that_cannot_be_mended_gets_a_suggestion(client, db):
    response = signup(client, username="Nora New!")
    page = response.content.decode()
    assert "only letters, digits, - and _ (no spaces)" in page and "How about “nora-new”?" in page
    assert not Member.objects.exists()


def test_no_handle_is_suggested_that_is_taken(client, db):
    MemberFactory(handle="nora-new")
    page = signup(client, username="Nora New").content.decode()
    assert "no spaces" in page and "How about" not in page


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("Nora New", "nora-new"), ("--ana--", "ana"), ("Zoë!", ""), ("a b", "a-b"), ("", "")],
)
def test_suggested_handles_follow_the_rules(db, typed, suggestion, settings):
    settings.ACCOUNT_USERNAME_MIN_LENGTH = 3
    assert suggest_handle(typed) == suggestion


def test_sign_in_reads_as_mutuas_and_keeps_the_member_signed_in_on_request(client, ana):
    response = client.get(LOGIN)
    page = response.content.decode()
    assert re.search(r'<label for="id_remember">Keep me signed in</label>', page)
    assert 'aria-describedby="id_remember_helptext"' in input_tag(page, "remember")
    assert re.search(r'<label for="id_login">Email address</label>', page)
    assert "Forgot your password?" in page and "Join the community" in page
    assert not [word for word in STOCK_WORDS if word in text_of(response)]


def test_a_wrong_password_is_announced_in_plain_words(client, ana):
    response = client.post(LOGIN, {"login": ana.email, "password": "not-it"})
    page = response.content.decode()
    assert re.search(r'role="alert"[^>]*>.*That email address and password do not match an account', page, re.S)
    assert "value=" not in input_tag(page, "password")
    assert f'value="{ana.email}"' in input_tag(page, "login")


@pytest.fixture
def nora(db):
    return MemberFactory(handle="nora", display_name="Nora New")


def reset_key_path(member) -> str:
    key = default_token_generator.make_token(member)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(member), "key": key})


PAGES_FOR_VISITORS = {
    "/accounts/login/": "Sign in to Mutua",
    "/accounts/signup/": "Join Mutua",
    "/accounts/confirm-email/": "Check your email",
    "/accounts/confirm-email/no-such-key/": "This link no longer works",
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your email",
    "/accounts/password/reset/key/1-no-such-key/": "This link no longer works",
    "/accounts/password/reset/key/done/": "Your password is changed",
}
PAGES_FOR_MEMBERS = {
    "/accounts/email/": "Email addresses",
    "/accounts/password/change/": "Change your password",
    "/accounts/logout/": "Sign out of Mutua?",
    "/accounts/reauthenticate/": "Confirm it’s you",
}


@pytest.mark.parametrize(("path", "heading"), PAGES_FOR_VISITORS.items())
def test_every_account_page_a_visitor_meets_is_mutuas(client, db, path, heading):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert re.search(rf"<h1>{re.escape(heading)}", response.content.decode())
    assert not [word for word in STOCK_WORDS if word in text_of(response)]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("path", "heading"), PAGES_FOR_MEMBERS.items())
def test_every_account_page_a_member_meets_is_mutuas(client, nora, path, heading):
    client.force_login(nora)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf"<h1>{re.escape(heading)}", page)
    assert not [word for word in STOCK_WORDS if word in text_of(response)]
    assert 'aria-label="Account settings"' in page or path == "/accounts/reauthenticate/"


def test_the_confirmation_page_names_the_address_and_the_handle(client, db):
    signup(client, username="Nora_New")
    address = EmailAddress.objects.get(email="nora@example.org")
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    page = client.get(reverse("account_confirm_email", args=[key])).content.decode()
    assert "<strong>nora@example.org</strong>" in page and "<strong>nora_new</strong>" in page
    assert re.search(r"<button[^>]*>\s*Confirm\s*</button>", page)


def test_a_reset_link_leads_to_a_new_password_in_mutuas_words(client, nora):
    response = client.get(reset_key_path(nora), follow=True)
    page = response.content.decode()
    assert "<h1>Choose a new password" in page
    assert re.search(r'<label for="id_password1">New password</label>', page)
    assert "At least 8 characters" in page
    assert not [word for word in STOCK_WORDS if word in text_of(response)]


def test_changing_the_password_keeps_the_new_ones_when_only_the_current_one_is_wrong(client, nora):
    client.force_login(nora)
    response = client.post(
        "/accounts/password/change/", {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    page = response.content.decode()
    assert "That is not your current password" in page
    assert "value=" not in input_tag(page, "oldpassword")
    assert f'value="{NEW_PASSWORD}"' in input_tag(page, "password1")
    nora.refresh_from_db()
    assert nora.check_password(PASSWORD)
