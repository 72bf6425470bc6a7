"""A credit is given once per page and member: the check before record_give is the ledger's own
(the same kind, receiver and subject, its type included)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from community.roles import Role
from content import services
from forums import services as forums
from forums.models import Post
from members.models import Give
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


def test_a_give_about_another_object_with_the_same_id_does_not_stop_the_credit():
    manager = MemberFactory(role=Role.MANAGER)
    ana, asker = MemberFactory(handle="ana"), MemberFactory()
    thread = make_thread(group=make_group(members=[ana, asker]), author=asker, title="How do you welcome newcomers?")
    answer = forums.reply(author=ana, thread=thread, body="Start small, and pair them with a buddy.")
    digest = services.start_digest(manager=manager, title="What we learned this month", posts=[answer])
    # Given a credit to Ana whose subject is a post that happens to share the digest's id
    Give.objects.create(
        giver=manager,
        receiver=ana,
        kind=Give.Kind.CREDIT,
        subject_type=ContentType.objects.get_for_model(Post),
        subject_id=digest.pk,
    )
    # When the digest is published
    digest.save_revision(user=manager).publish(user=manager)
    # Then the digest credits her all the same
    digest_type = ContentType.objects.get_for_model(digest.specific)
    assert Give.objects.filter(kind=Give.Kind.CREDIT, receiver=ana, subject_type=digest_type).count() == 1
