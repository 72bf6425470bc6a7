"""The curation page: labelled figures, explained columns, each thread in one column, and digests
that quote answers and long helpful posts rather than questions and one-liners."""

import pytest

from community.roles import Role
from content import selectors
from content.models import DigestPage
from forums import services as forums
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

LONG_ANSWER = (
    "We pair every newcomer with a buddy for two weeks. The buddy's only job is to reply to their first "
    "post within a day, and our first-post rate went from 22 % to 41 %."
)


@pytest.fixture
def manager():
    return MemberFactory(handle="maya", role=Role.MANAGER)


@pytest.fixture
def question():
    """A question with an accepted answer, a long helpful reply, a question, a quip and the asker's follow-up."""
    asker, ana, bo, cy, dee = (MemberFactory() for _ in range(5))
    group = make_group(visibility="public", members=[asker, ana, bo, cy, dee])
    thread = make_thread(group=group, author=asker, title="First-week welcome?", body="What works?", kind="question")
    accepted = forums.reply(author=ana, thread=thread, body="A short welcome thread works.")
    helpful = forums.reply(author=bo, thread=thread, body=LONG_ANSWER)
    asking = forums.reply(author=cy, thread=thread, body="Interesting. How do you recruit the buddies? And who trains them?")
    quip = forums.reply(author=dee, thread=thread, body="great post!")
    follow_up = forums.reply(author=asker, thread=thread, body="Thanks all, this is exactly what I needed to hear today.")
    for post in (helpful, asking, quip, follow_up):
        for reactor in (ana, cy, dee):
            if reactor != post.author:
                forums.react(member=reactor, post=post, kind="helpful")
    forums.accept_answer(member=asker, post=accepted)
    thread.refresh_from_db()
    return thread, accepted, helpful


def test_a_digest_quotes_the_accepted_answer_then_long_helpful_replies_never_questions(question):
    thread, accepted, helpful = question
    assert selectors.best_posts(thread) == [accepted, helpful]


def test_each_thread_shows_in_the_first_column_it_qualifies_for(question):
    thread, *_ = question
    columns = selectors.curation_candidates(days=30)
    assert [t.pk for t in columns["answered"]] == [thread.pk]
    assert thread.pk not in {t.pk for t in columns["most_helpful"] + columns["most_reacted"]}
    assert columns["answered"][0].helpful_posts == 4 and columns["answered"][0].reactions == 10


def test_the_curation_page_labels_every_figure_and_explains_its_columns(client, manager, question):
    client.force_login(manager)
    page = client.get("/content/curation/").text
    assert "5 replies · 4 helpful replies · 10 reactions · answer by" in page
    assert "Questions whose asker accepted an answer" in page and "marked “helpful”" in page
    assert "Ticked threads above are used instead" not in page


def test_ticked_threads_add_their_best_posts_after_the_selection(client, manager, question):
    thread, accepted, helpful = question
    other = make_thread(group=thread.group, title="Budgets", body="How much do you spend?")
    picked = forums.reply(author=helpful.author, thread=other, body="About a tenth of the support budget, in our case.")
    client.force_login(manager)
    client.post(f"/content/digests/add/{picked.pk}/")
    response = client.post("/content/digests/start/", {"title": "What we learned", "thread": [thread.pk]})
    assert response.status_code == 302
    digest = DigestPage.objects.get(title="What we learned")
    assert [quote.post_id for quote in digest.quotes.order_by("sort_order")] == [picked.pk, accepted.pk, helpful.pk]
    assert digest.slug == "what-we-learned"
