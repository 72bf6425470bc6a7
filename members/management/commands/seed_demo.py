"""Load the demo community: a few hundred members with real-looking profiles and one known account
per role. Safe to run again: existing members are left as they are."""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.roles import Role
from members import services
from members.demo import FIRST_NAMES, INTERESTS, KNOWN_ACCOUNTS, LAST_NAMES, ORGANISATIONS, SKILLS, TITLES, TOWNS
from members.errors import ReciprocityError
from members.models import Endorsement, Give, Member, Skill


# The ledger's scenes (a ring, requests, recommendations) are played by members 40 to 66.
MINIMUM_MEMBERS = 80


class Command(BaseCommand):
    help = "Create the demo community (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="How many members in all (default 300).")

    @transaction.atomic
    def handle(self, *args, members: int, **options):
        if members < MINIMUM_MEMBERS:
            raise CommandError(f"The demo community needs at least {MINIMUM_MEMBERS} members (--members).")
        skills = self._skills()
        existing = set(Member.objects.values_list("username", flat=True))
        created = 0
        for account in KNOWN_ACCOUNTS:
            if account["handle"] not in existing:
                self._create(random.Random(account["handle"]), skills, **account)
                created += 1
        for n in range(members - len(KNOWN_ACCOUNTS)):
            rng = random.Random(n)  # one generator per member, so a re-run makes the same people
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            handle = slugify(f"{first}-{last}-{n}")
            if handle in existing:
                continue
            role = rng.choices([Role.MEMBER, Role.MODERATOR, Role.SPONSOR], weights=[94, 4, 2])[0]
            self._create(rng, skills, handle=handle, name=f"{first} {last}", role=role, password=None)
            created += 1
        if not Endorsement.objects.exists():
            self._ledger()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready: {created} members added, {Member.objects.count()} in all, "
                f"{Give.objects.count()} gives in the ledger."
            )
        )

    def _ledger(self) -> None:
        """Endorsements across the community, some already thanked, a few the scoring must catch."""
        rng = random.Random("ledger")
        now = timezone.now()
        people = list(Member.objects.prefetch_related("skills").order_by("pk"))
        by_handle = {member.username: member for member in people}
        # Genuine endorsements spread over the last two months.
        for _ in range(600):
            endorser, endorsee = rng.sample(people, 2)
            skills = list(endorsee.skills.all())
            at = now - timedelta(hours=rng.randint(30, 24 * 60))
            self._endorse(endorser, endorsee, rng.choice(skills), at)
        # The demo member and manager have fresh gives waiting on Pay it back, some past 12 hours.
        for handle in ("member", "manager"):
            endorsee = by_handle[handle]
            for hours in (40, 20, 13, 3, 1):
                endorser = rng.choice(people)
                if endorser != endorsee:
                    self._endorse(
                        endorser, endorsee, rng.choice(list(endorsee.skills.all())), now - timedelta(hours=hours)
                    )
        # A ring of three endorsing each other within minutes, and a formula thank-you.
        ring = people[40:43]
        for minutes, (endorser, endorsee) in enumerate(zip(ring, ring[1:] + ring[:1])):
            self._endorse(endorser, endorsee, endorsee.skills.first(), now - timedelta(hours=6, minutes=-minutes))
        self._requests(people)
        demo_accounts = {account["handle"] for account in KNOWN_ACCOUNTS}
        thankers = [member for member in people[:80] if member.username not in demo_accounts]
        for give in Give.objects.filter(receiver__in=thankers, acknowledged_at__isnull=True)[:40]:
            message = rng.choice(self.THANKS)
            services.thank(member=give.receiver, give_id=give.pk, message=message, allow_formula=True)

    def _requests(self, people: list[Member]) -> None:
        """Something waiting on the demo accounts' Requests page, and approved recommendations."""
        member, manager = (Member.objects.get(username=handle) for handle in ("member", "manager"))
        requester, author, other = people[60], people[61], people[62]
        services.request_connection(
            requester=requester,
            addressee=member,
            note=f"I saw your question about onboarding flows; we rebuilt ours at {requester.organisation} last spring.",
        )
        services.recommend(
            author=author,
            recipient=member,
            text="Sam redesigned our sign-up flow in two weeks and walked the whole team through every decision.",
        )
        services.introduce(
            introducer=manager,
            first=member,
            second=other,
            note=f"{member.name} designs onboarding and {other.name} measures it: you two should compare notes.",
        )
        praise = [
            "Maya introduced me to three people in my first week and every one of them mattered.",
            "She ran our beta group like a real programme: clear goals, weekly check-ins, and credit for everyone.",
            "When our product launch went sideways, Maya turned the angriest thread into our best FAQ.",
        ]
        for writer, text in zip(people[63:66], praise):
            recommendation = services.recommend(author=writer, recipient=manager, text=text)
            services.decide_recommendation(member=manager, recommendation_id=recommendation.pk, approve=True)

    THANKS = [
        "Thanks!",
        "great post!",
        "Your endorsement came the week I pitched my first workshop — it helped more than you know.",
        "That means a lot coming from you; our onboarding sessions were a team effort.",
        "Thank you — I still use the retro format you showed me in the peer group.",
    ]

    @staticmethod
    def _endorse(endorser, endorsee, skill, at) -> None:
        try:
            services.endorse(endorser=endorser, endorsee=endorsee, skill=skill, at=at)
        except ReciprocityError:
            pass  # a pair drawn twice: the demo simply has one endorsement fewer

    def _skills(self) -> list[Skill]:
        return [services.add_skill(actor=None, name=name) for name in SKILLS]

    def _create(self, rng: random.Random, skills: list[Skill], *, handle, name, role, password, **profile):
        member = services.create_member(
            email=f"{handle}@mutua.test", handle=handle, password=password, display_name=name, role=role, verified=True
        )
        title = profile.get("job_title") or rng.choice(TITLES)
        organisation = profile.get("organisation") or rng.choice(ORGANISATIONS)
        services.edit_profile(
            member=member,
            fields={
                "headline": profile.get("headline") or f"{title} at {organisation}",
                "job_title": title,
                "organisation": organisation,
                "location": profile.get("location") or rng.choice(TOWNS),
                "bio": profile.get("bio") or self._bio(rng, name, title, organisation),
            },
            skills=rng.sample(skills, rng.randint(2, 6)),
            interests=rng.sample(INTERESTS, rng.randint(1, 4)),
        )

    @staticmethod
    def _bio(rng: random.Random, name: str, title: str, organisation: str) -> str:
        first = name.split()[0]
        opener = rng.choice(
            [
                f"{first} works as {title.lower()} at {organisation}.",
                f"At {organisation}, {first} is the {title.lower()} people go to first.",
                f"{first} joined {organisation} as {title.lower()} after years in the field.",
            ]
        )
        closer = rng.choice(
            [
                "Happy to talk through onboarding programmes and how to keep newcomers engaged.",
                "Always keen to trade notes on measuring what a community is worth to the business.",
                "Ask about running peer groups, beta programmes and member interviews.",
                "Believes the best answer is usually a member who has solved it before.",
            ]
        )
        return f"{opener} {closer}"
