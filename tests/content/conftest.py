import pytest

from community.roles import Role
from forums import services as forums
from tests.factories import MemberFactory, make_group, make_thread


@pytest.fixture
def manager():
    return MemberFactory(handle="maya", role=Role.MANAGER)


@pytest.fixture
def answers(manager):
    """Two threads with a reply each from two members."""
    ana, bo = MemberFactory(handle="ana"), MemberFactory(handle="bo")
    asker = MemberFactory()
    group = make_group(members=[ana, bo, asker])
    posts = []
    for title, answerer in (("How do you welcome newcomers?", ana), ("Which numbers matter?", bo)):
        thread = make_thread(group=group, author=asker, title=title)
        posts.append(forums.reply(author=answerer, thread=thread, body=f"{answerer.name} says: start small."))
    return posts
