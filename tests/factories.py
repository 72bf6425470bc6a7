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
