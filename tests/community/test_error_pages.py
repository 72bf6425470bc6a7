"""Mutua's own error pages (DEBUG is off in tests): each says what happened and what to do next; the
403 page offers a visitor a sign-in that comes back; the 500 page renders with no request and no
database behind it."""

from urllib.parse import quote

import pytest
from django.template import loader
from django.test import Client
from django.urls import include, path

from forums.models import Group
from tests.factories import MemberFactory, make_group


def boom(request):
    raise RuntimeError("a bug")


# This module is the URLconf of the 500 tests: the site's own, plus a view that fails.
urlpatterns = [path("boom/", boom), path("", include("community.urls"))]


def test_404_names_the_address_and_offers_search_and_a_way_on(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We couldn’t find that page" in page
    assert "/no-such-page/" in page
    assert 'action="/search/"' in page and 'href="/forums/"' in page
    assert 'class="site-header"' in page  # the site's own frame, with its navigation


def test_404_of_a_missing_member_is_the_same_page(client, ana):
    client.force_login(ana)
    response = client.get("/members/nobody-by-this-handle/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_403_to_a_visitor_offers_sign_in_that_comes_back(client, db):
    group = make_group(visibility=Group.Visibility.MEMBERS)
    address = f"/forums/{group.slug}/?sort=new"
    response = client.get(address)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign in to see this" in page
    assert "for members only" in page  # the reason the view gave
    assert f'href="/accounts/login/?next={quote(address, safe="/")}"' in page
    assert 'href="/accounts/signup/' in page


def test_403_to_a_member_says_why_and_offers_no_sign_in(client, ana):
    client.force_login(ana)
    response = client.get("/members/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This isn’t open to you" in page
    assert "Only administrators can read the audit trail." in page
    assert "/accounts/login/" not in page
    assert "community manager" in page


def test_an_expired_form_gets_its_own_page(db):
    ana = MemberFactory(handle="ana")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"login": ana.email, "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That form has expired" in page
    assert "Nothing was saved" in page and "allow cookies" in page
    assert "CSRF" not in page


def test_400_of_the_bad_input_guard_says_what_was_wrong(client, db):
    response = client.get("/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That request could not be read" in page
    assert "control character" in page
    assert 'href="/"' in page


@pytest.mark.urls(__name__)
def test_500_is_mutuas_page(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Reload the page" in page and 'href="/"' in page
    assert "a bug" not in page  # nothing of the failure leaks


def test_500_renders_without_request_or_database():
    # No `db` fixture: pytest-django fails any query, as a database that is down would.
    page = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in page
    assert "/static/css/mutua.css" in page
