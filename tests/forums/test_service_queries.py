"""The forum services cost a fixed number of queries: a reply or a reaction costs the same in a
thread of two posts as in one of two hundred (record_give's part is two statements on PostgreSQL,
four with the portable writer on SQLite)."""

import pytest
from django.db import connection

from forums import services
from tests.factories import MemberFactory, make_group, make_posts, make_thread

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
# Each is one give: record_give takes two statements on PostgreSQL, four on SQLite.
REPLY = 16 if POSTGRES else 18
REACT = 12 if POSTGRES else 14


@pytest.fixture
def people():
    ana, ben = MemberFactory(), MemberFactory()
    return ana, ben, make_group(members=[ana, ben])


@pytest.mark.parametrize("earlier_posts", [0, 200])
def test_a_reply_costs_the_same_however_long_the_thread(people, earlier_posts, django_assert_num_queries):
    ana, ben, group = people
    thread = make_posts(make_thread(group=group, author=ana), earlier_posts)
    services.reply(author=ben, thread=thread, body="A first word: Ben takes part now.")
    with django_assert_num_queries(REPLY):
        services.reply(author=ben, thread=thread, body="We run a welcome call on Mondays.")


@pytest.mark.parametrize("earlier_posts", [0, 200])
def test_a_reaction_costs_the_same_however_long_the_thread(people, earlier_posts, django_assert_num_queries):
    ana, ben, group = people
    thread = make_posts(make_thread(group=group, author=ana), earlier_posts)
    opening = thread.posts.get(number=1)
    services.react(member=ben, post=opening, kind="like")
    with django_assert_num_queries(REACT):
        services.react(member=ben, post=opening, kind="helpful")
