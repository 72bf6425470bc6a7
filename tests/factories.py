import factory
from factory.django import DjangoModelFactory

from community.roles import Role
from members import services
from members.models import Member, Skill

PASSWORD = "a-long-test-passphrase"


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda skill: skill.name.lower().replace(" ", "-"))
    status = Skill.Status.APPROVED


class MemberFactory(factory.Factory):
    """Members are made through `services.create_member`, as every account is."""

    class Meta:
        model = Member

    handle = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.handle}@example.org")
    display_name = factory.Faker("name")
    password = PASSWORD
    role = Role.MEMBER
    verified = True

    @classmethod
    def _create(cls, model_class, *, profile=None, skills=(), **kwargs):
        member = services.create_member(**kwargs)
        if profile or skills:
            services.edit_profile(member=member, fields=profile or {}, skills=list(skills) or None)
        return member

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("Members are created through services.create_member")


def make_group(*, manager=None, members=(), **fields):
    """A group created by a manager (made if not given), with `members` joined."""
    from forums import services as forum_services

    manager = manager or MemberFactory(role=Role.MANAGER)
    fields = {"name": f"Group {next(_group_numbers)}", **fields}
    group = forum_services.create_group(actor=manager, **fields)
    for member in members:
        make_member_of(group, member)
    return group


def make_member_of(group, member):
    """Make `member` an active member of `group` whatever its policy: joining an open group, or
    through an invitation from its creator, as a person would."""
    from forums import services as forum_services
    from forums.models import GroupMembership

    membership = GroupMembership.objects.filter(group=group, member=member).first()
    if membership is None or membership.status != GroupMembership.Status.ACTIVE:
        if membership is None and (group.policy != group.Policy.OPEN or group.visibility == group.Visibility.PRIVATE):
            forum_services.invite_member(actor=group.created_by, group=group, member=member)
        membership = forum_services.join_group(member=member, group=group)
    group.refresh_from_db()
    return membership


def make_thread(*, group=None, author=None, title="How do you welcome newcomers?", body="Tell me what works.", **kw):
    from forums import services as forum_services

    author = author or MemberFactory()
    group = group or make_group()
    make_member_of(group, author)
    return forum_services.start_thread(author=author, group=group, title=title, body=body, **kw)


_group_numbers = iter(range(1, 1_000_000))


def make_posts(thread, count: int, *, authors=()):
    """`count` more visible replies in `thread`, written in bulk (volume for page tests, not behaviour)."""
    from django.db.models import F

    from forums.models import Post, Thread

    authors = list(authors) or [MemberFactory() for _ in range(3)]
    start = thread.post_count + 1
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[n % len(authors)],
            number=number,
            body=f"Reply {number}",
            html=f"<p>Reply {number}</p>",
        )
        for n, number in enumerate(range(start, start + count))
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + count)
    thread.refresh_from_db()
    return thread
