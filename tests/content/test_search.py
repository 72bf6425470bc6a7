"""The one site search: stemmed on both databases, each thread once, snippets with the matched
words marked (and every piece of member text escaped), a search field in every page's header."""

import pytest
from django.db import connection

from community import text_search
from community.roles import Role
from content.models import ArticleIndexPage, ArticlePage
from forums import services as forums
from tests.factories import MemberFactory, make_group, make_member_of, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return MemberFactory(handle="maya", role=Role.MANAGER)


def someone_in(group):
    member = MemberFactory()
    make_member_of(group, member)
    return member


def publish_article(manager, title, text):
    page = ArticlePage(title=title, summary="", body=[("paragraph", f"<p>{text}</p>")], owner=manager)
    ArticleIndexPage.objects.get().add_child(instance=page)
    page.save_revision(user=manager).publish(user=manager)
    return page


def test_welcome_finds_a_page_about_welcoming_newcomers_with_the_word_marked(client, manager):
    publish_article(manager, "Notes from the first week", "Our rota for welcoming newcomers, and what it changed.")
    publish_article(manager, "Budgets", "Nothing about the first days here.")
    page = client.get("/search/", {"q": "welcome"}).text
    assert "Notes from the first week" in page and "Budgets" not in page
    assert "<mark>welcoming</mark> newcomers" in page


def test_the_forums_match_every_form_of_a_word_too(client):
    group = make_group(visibility="public")
    make_thread(group=group, title="First posts", body="We tried welcoming each newcomer by name.")
    client.force_login(MemberFactory())
    page = client.get("/search/", {"q": "Welcomes newcomers"}).text
    assert "First posts" in page and "<mark>welcoming</mark> each <mark>newcomer</mark>" in page


def test_a_thread_is_listed_once_however_many_of_its_posts_match(client):
    group = make_group(visibility="public")
    thread = make_thread(group=group, title="Onboarding buddies", body="Onboarding buddies: who has tried them?")
    for text in ("Onboarding buddies doubled our first posts.", "Onboarding with a buddy is our default now."):
        forums.reply(author=someone_in(group), thread=thread, body=text)
    make_thread(group=group, title="Another onboarding question", body="Onboarding in a week?")
    client.force_login(MemberFactory())
    response = client.get("/search/", {"q": "onboarding"})
    assert response.text.count(">Onboarding buddies</a>") == 1
    assert "3 matching posts in this thread" in response.text
    assert [hit.thread.pk for hit in response.context["threads"]].count(thread.pk) == 1


def test_snippets_escape_member_text_before_marking_it(client):
    group = make_group(visibility="public")
    make_thread(group=group, title="Markup", body='Paste `<img src=x onerror="alert(1)"> welcome` and see.')
    page = client.get("/search/", {"q": "welcome"}).text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>welcome</mark>" in page
    assert "<img src=x" not in page


def test_the_snippet_is_escaped_then_marked_and_cut_around_the_first_match():
    text = "word " * 80 + "a <b>welcoming</b> & kind place " + "word " * 80
    snippet = text_search.snippet(text, text_search.stems("welcome"))
    assert "&lt;b&gt;<mark>welcoming</mark>&lt;/b&gt; &amp; kind" in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 260
    assert text_search.snippet("<i>no match</i>", ["zzz"]) == "&lt;i&gt;no match&lt;/i&gt;"
    assert text_search.plain_text("<h3>Why</h3><p>Our <b>first</b> &amp; best</p>") == "Why Our first & best"


def test_punctuation_in_a_query_never_breaks_the_search(client):
    for query in ['"welcome', "welcome*", "(a OR", "-", "NEAR(x y)", "'; drop"]:
        assert client.get("/search/", {"q": query}).status_code == 200


def test_every_page_has_a_search_field_in_its_header(client):
    for address in ("/", "/forums/", "/articles/"):
        page = client.get(address).text
        assert 'class="header-search"' in page and 'action="/search/"' in page
    # the search page has its own field; the header does not repeat it
    assert 'class="header-search"' not in client.get("/search/", {"q": "x"}).text


def test_search_costs_a_fixed_number_of_queries(client, manager, django_assert_max_num_queries):
    group = make_group(visibility="public")
    for n in range(6):
        publish_article(manager, f"Welcome {n}", "Welcoming people.")
        thread = make_thread(group=group, title=f"Welcome thread {n}", body="Welcome!")
        forums.reply(author=someone_in(group), thread=thread, body="Welcome indeed.")
    client.force_login(MemberFactory())
    client.get("/search/", {"q": "welcome"})
    with django_assert_max_num_queries(16):
        response = client.get("/search/", {"q": "welcome"})
    # each article opens a discussion of its own: twelve threads match, the first ten are listed
    assert len(response.context["pages"]) == 6 and len(response.context["threads"]) == 10


@pytest.mark.postgres
def test_postgresql_stems_pages_and_posts_with_the_english_configuration(client, manager):
    assert connection.vendor == "postgresql"
    publish_article(manager, "Volunteers", "Recruiting moderators who remember being new.")
    group = make_group(visibility="public")
    make_thread(group=group, title="Rotas", body="Our moderators recruited from recent newcomers.")
    client.force_login(MemberFactory())
    response = client.get("/search/", {"q": "recruit moderator"})
    assert [page.title for page, _ in response.context["pages"]] == ["Volunteers"]
    assert [hit.thread.title for hit in response.context["threads"]] == ["Rotas"]
    assert "<mark>Recruiting</mark> <mark>moderators</mark>" in response.text


def test_site_search_respects_visibility(client, manager):
    insider = MemberFactory()
    private = make_group(visibility="private", policy="invite", members=[insider])
    make_thread(group=private, author=insider, title="Secret onboarding plan", body="The onboarding plan")
    public = make_group(visibility="public", members=[insider])
    make_thread(group=public, author=insider, title="Open onboarding tips", body="Onboarding tips for all")
    client.force_login(MemberFactory())
    page = client.get("/search/", {"q": "onboarding"}).text
    assert "Open onboarding tips" in page and "Secret onboarding plan" not in page
