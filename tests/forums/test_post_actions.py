"""The buttons other apps add under a post come through forums.post_actions: forums' templates name
no URL or permission of an app above them, and a thread page renders without any registered."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from community.roles import Role
from forums import post_actions
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

ABOVE_FORUMS = ("content", "metrics", "plans")


def test_forums_templates_name_no_url_or_permission_of_the_apps_above():
    templates = Path(settings.BASE_DIR) / "templates" / "forums"
    above = "|".join(ABOVE_FORUMS)
    reference = re.compile(rf"""\{{%\s*url\s+["'](?:{above}):|perms\.(?:{above})\b""")
    found = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in sorted(templates.rglob("*.html"))
        for match in reference.finditer(path.read_text())
    ]
    assert found == []


def test_a_manager_sees_the_action_content_registered_and_a_member_does_not(client):
    manager, reader = MemberFactory(role=Role.MANAGER), MemberFactory()
    thread = make_thread(group=make_group(members=[manager, reader]))
    opening = thread.posts.get(number=1)
    client.login(username=manager.email, password=PASSWORD)
    assert f'action="/content/digests/add/{opening.pk}/"' in client.get(thread.get_absolute_url()).text
    client.login(username=reader.email, password=PASSWORD)
    assert "Add to digest" not in client.get(thread.get_absolute_url()).text


def test_a_thread_page_renders_when_no_app_registered_an_action(client, monkeypatch):
    monkeypatch.setattr(post_actions, "_actions", {})  # forums alone, without content
    manager = MemberFactory(role=Role.MANAGER)
    thread = make_thread(group=make_group(members=[manager]))
    client.login(username=manager.email, password=PASSWORD)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200 and "Add to digest" not in response.text
