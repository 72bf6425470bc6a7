"""The thread page keeps each post's viewer-independent HTML in the cache (forums/fragments.py): a
fragment is rendered once, and whatever it shows changing gives a new one; what depends on the
viewer is never taken from another viewer's page."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community.roles import Role
from forums import fragments, services
from forums.models import Post, Thread
from members.services.profiles import set_avatar, update_profile
from tests.factories import PASSWORD, MemberFactory, make_group, make_posts, make_thread
from tests.servers import delete_redis_keys

pytestmark = pytest.mark.django_db

CONTENT = "forums/includes/post_content.html"


def sign_in(client, member):
    client.logout()
    client.login(username=member.email, password=PASSWORD)


def fragments_rendered(response) -> int:
    return sum(1 for template in response.templates if template.name == CONTENT)


@pytest.fixture
def reader():
    return MemberFactory(handle="reader", display_name="Rea Der")


@pytest.fixture
def asker():
    return MemberFactory(handle="asker", display_name="Ada Asker")


@pytest.fixture
def answerer():
    return MemberFactory(handle="answerer", display_name="Ann Swerer")


@pytest.fixture
def thread(reader, asker, answerer):
    group = make_group(members=[reader, asker, answerer])
    thread = make_thread(group=group, author=asker, title="Where do I start?", body="Asking **first**.", kind="question")
    services.reply(author=answerer, thread=thread, body="Start *small*.")
    thread.refresh_from_db()
    return thread


def answer(thread) -> Post:
    return thread.posts.get(number=2)


def test_a_fragment_is_rendered_once_then_read_from_the_cache(client, reader, thread):
    sign_in(client, reader)
    first = client.get(thread.get_absolute_url())
    assert fragments_rendered(first) == 2
    second = client.get(thread.get_absolute_url())
    assert fragments_rendered(second) == 0
    assert second.text.count('<article class="post') == 2
    assert "<em>small</em>" in second.text and "Ann Swerer" in second.text


def test_a_whole_page_of_fragments_comes_from_the_cache(client, reader, thread):
    make_posts(thread, 40)
    sign_in(client, reader)
    client.get(f"{thread.get_absolute_url()}?page=2")
    again = client.get(f"{thread.get_absolute_url()}?page=2")
    assert fragments_rendered(again) == 0 and again.text.count('<article class="post') == 20


def test_an_edit_shows_at_once(client, reader, answerer, thread):
    sign_in(client, reader)
    client.get(thread.get_absolute_url())
    services.edit_post(editor=answerer, post=answer(thread), body="Start **smaller** than you think.")
    page = client.get(thread.get_absolute_url())  # (the live event of the edit rendered its new fragment)
    assert "<strong>smaller</strong>" in page.text and "<em>small</em>" not in page.text
    assert ">edited</a>" in page.text


def test_a_reaction_shows_its_count_and_the_reactor_sees_it_as_theirs(client, reader, asker, thread):
    sign_in(client, asker)
    client.get(thread.get_absolute_url())
    services.react(member=reader, post=answer(thread), kind="helpful")
    seen_by_asker = client.get(thread.get_absolute_url()).text
    assert 'data-count="helpful">1<' in seen_by_asker and "reaction--mine" not in seen_by_asker
    sign_in(client, reader)
    seen_by_reader = client.get(thread.get_absolute_url()).text
    assert 'data-count="helpful">1<' in seen_by_reader
    assert seen_by_reader.count("reaction--mine") == 1


def test_hiding_and_restoring_a_post_shows_at_once(client, reader, answerer, thread):
    moderator = MemberFactory(role=Role.MODERATOR)
    sign_in(client, reader)
    client.get(thread.get_absolute_url())
    services.hide_post(moderator=moderator, post=answer(thread), reason="Off topic")
    hidden = client.get(thread.get_absolute_url()).text
    assert "Post #2 was hidden by a moderator." in hidden and "<em>small</em>" not in hidden
    sign_in(client, moderator)
    moderating = client.get(thread.get_absolute_url()).text
    assert '<span class="badge">Hidden</span>' in moderating and "<em>small</em>" in moderating
    services.restore_post(moderator=moderator, post=answer(thread), reason="On topic after all")
    sign_in(client, reader)
    restored = client.get(thread.get_absolute_url()).text
    assert "was hidden" not in restored and "<em>small</em>" in restored and "badge\">Hidden" not in restored


def test_an_accepted_answer_shows_at_once(client, reader, asker, thread):
    sign_in(client, reader)
    client.get(thread.get_absolute_url())
    services.accept_answer(member=asker, post=answer(thread))
    page = client.get(thread.get_absolute_url()).text
    assert "Accepted answer</span>" in page and "post--accepted" in page


def test_an_authors_new_name_shows_on_their_posts_and_in_replies_to_them(client, reader, answerer, asker, thread):
    services.reply(author=asker, thread=thread, body="Thanks!", reply_to=answer(thread))
    sign_in(client, reader)
    before = client.get(thread.get_absolute_url()).text
    assert "In reply to" in before and "Ann Swerer #2" in before
    update_profile(member=answerer, display_name="Annie Newname")
    page = client.get(thread.get_absolute_url())
    assert "Ann Swerer" not in page.text
    assert "Annie Newname</a>" in page.text and "Annie Newname #2" in page.text
    assert fragments_rendered(page) == 2  # the answer and the reply to it; the question is unchanged


def test_an_authors_new_avatar_shows_on_their_posts(client, reader, answerer, thread, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, reader)
    assert "<img class=\"avatar" not in client.get(thread.get_absolute_url()).text
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(out, format="PNG")
    set_avatar(member=answerer, upload=SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png"))
    answerer.refresh_from_db()
    page = client.get(thread.get_absolute_url()).text
    assert f'src="{answerer.avatar.url}"' in page


def test_a_former_member_loses_name_and_link_on_their_posts(client, reader, answerer, thread):
    sign_in(client, reader)
    client.get(thread.get_absolute_url())
    type(answerer).objects.filter(pk=answerer.pk).update(deleted_at=timezone.now())
    page = client.get(thread.get_absolute_url()).text
    assert "Ann Swerer" not in page and 'href="/members/answerer/"' not in page


def test_the_cached_part_never_carries_another_viewers_controls(client, reader, answerer, thread):
    """A community manager (digest, moderation) fills the cache first; the reader's page must not
    get their controls, nor the author's Edit, nor the manager's reactions."""
    manager = MemberFactory(role=Role.MANAGER)
    services.react(member=manager, post=answer(thread), kind="like")
    sign_in(client, manager)
    managing = client.get(thread.get_absolute_url())
    assert "Add to digest" in managing.text and "Moderate this thread" in managing.text
    assert managing.text.count("reaction--mine") == 1
    sign_in(client, reader)
    reading = client.get(thread.get_absolute_url())
    assert fragments_rendered(reading) == 0  # the same fragments…
    assert "Add to digest" not in reading.text and "Moderate this thread" not in reading.text  # …not their controls
    assert "reaction--mine" not in reading.text
    assert reading.text.count('data-owner="') == 2 and reading.text.count(" hidden>Edit</a>") == 2
    sign_in(client, answerer)
    own = client.get(thread.get_absolute_url()).text
    # On their own post the author sees the counts (no buttons) and an Edit link that is not hidden.
    assert f'data-owner="{answerer.pk}">Edit</a>' in own
    assert f'data-counts-of="{answerer.pk}"' in own and f'data-reactions-of="{answerer.pk}"' not in own


def test_held_posts_stay_placeholders_for_others_although_their_author_filled_the_cache(client, reader, answerer, thread):
    held = services.reply(author=answerer, thread=thread, body="Waiting one")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    sign_in(client, answerer)
    assert "Waiting one" in client.get(thread.get_absolute_url()).text
    sign_in(client, reader)
    page = client.get(thread.get_absolute_url()).text
    assert "Waiting one" not in page and "Post #3 is waiting for a moderator." in page


def test_the_age_of_a_post_follows_the_clock_not_the_cache(thread, monkeypatch):
    post = answer(thread)
    monkeypatch.setattr(fragments, "content_key", lambda post, thread: "the-same-key")
    fragments.attach_content(thread, [post])  # fills "the-same-key"
    post.created -= timedelta(hours=3)
    fragments.attach_content(thread, [post])  # read from the cache…
    assert ">3\xa0hours ago</time>" in post.content_html  # …with the age of now


def test_a_changed_template_never_reads_old_fragments(thread, monkeypatch):
    post = answer(thread)
    key = fragments.content_key(post, thread)
    monkeypatch.setattr(fragments, "_templates_digest", lambda: "another")
    assert fragments.content_key(post, thread) != key


def test_a_live_post_carries_the_same_content_as_the_page(client, reader, thread):
    from forums.events import _post_html

    post = Post.objects.select_related("thread__group", "author").get(pk=answer(thread).pk)
    live = _post_html(post)
    assert "<em>small</em>" in live and "data-reactions-of" in live and "data-counts-of" in live
    sign_in(client, reader)
    assert fragments_rendered(client.get(thread.get_absolute_url())) == 1  # the live render filled the cache


@pytest.mark.redis
def test_fragments_through_the_redis_cache(client, reader, thread, settings, redis_url):
    prefix = f"test-fragments-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "community.cache.FailSoftRedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    }
    sign_in(client, reader)
    try:
        assert fragments_rendered(client.get(thread.get_absolute_url())) == 2
        again = client.get(thread.get_absolute_url())
        assert fragments_rendered(again) == 0 and "<em>small</em>" in again.text
    finally:
        delete_redis_keys(redis_url, prefix)


def test_without_a_cache_the_page_still_renders(client, reader, thread, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    sign_in(client, reader)
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200 and "<em>small</em>" in page.text and fragments_rendered(page) == 2
    assert Thread.objects.get(pk=thread.pk).post_count == 2
