"""Load the demo community: a few hundred members with real-looking profiles and one known account
per role. Safe to run again: existing members are left as they are."""

import math
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
from members.mailing import muted
from members.models import Endorsement, Give, Member, Skill


# The ledger's scenes (a ring, requests, recommendations) are played by members 40 to 66.
MINIMUM_MEMBERS = 80
HISTORY_DAYS = 365  # the reports show a year of growth
DOUBLING_DAYS = 182.625


class Command(BaseCommand):
    help = "Create the demo community (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="How many members in all (default 300).")

    @transaction.atomic
    def handle(self, *args, **options):
        with muted():  # a seeded community mails nobody
            self._seed(**options)

    def _seed(self, *, members: int, **options):
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
            self._spread_joins()
            self._history()
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
        owed = Give.objects.filter(receiver__in=thankers, acknowledged_at__isnull=True).exclude(kind=Give.Kind.THANKS)
        for give in owed[:40]:
            message = rng.choice(self.THANKS)
            services.thank(member=give.receiver, give_id=give.pk, message=message, allow_formula=True)

    def _spread_joins(self) -> None:
        """A year of sign-ups for the reports: the demo accounts founded the community a year ago,
        everyone else joined on a curve that doubles about every six months, fewer in August."""
        rng = random.Random("joins")
        now = timezone.now()
        founded = now - timedelta(days=HISTORY_DAYS)
        demo_accounts = {account["handle"] for account in KNOWN_ACCOUNTS}
        others = list(Member.objects.exclude(username__in=demo_accounts).order_by("pk").values_list("pk", flat=True))
        Member.objects.filter(username__in=demo_accounts).update(date_joined=founded)
        growth = 2 ** (HISTORY_DAYS / DOUBLING_DAYS) - 1
        for n, pk in enumerate(others):
            days = DOUBLING_DAYS * math.log2(1 + growth * (n + 1) / len(others))
            joined = founded + timedelta(days=min(days, HISTORY_DAYS - 0.5), hours=rng.uniform(-12, 12))
            if joined.month == 8 and rng.random() < 0.5:  # the summer dip: half wait for September
                joined = joined.replace(day=1, month=9) + timedelta(days=rng.randint(0, 10))
            Member.objects.filter(pk=pk).update(date_joined=min(joined, now - timedelta(hours=1)))

    def _history(self) -> None:
        """A year of endorsements, more as the community grows and fewer in August and over the new
        year, most thanked within hours or days."""
        rng = random.Random("history")
        now = timezone.now()
        people = list(Member.objects.prefetch_related("skills").order_by("date_joined", "pk"))
        thanks = []
        for days_ago in range(HISTORY_DAYS, 2, -1):
            day = now - timedelta(days=days_ago)
            joined = [member for member in people if member.date_joined < day]
            holidays = day.month == 8 or (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 3)
            season = 0.45 if holidays else 1
            for _ in range(round(len(joined) * 0.012 * season + rng.random())):
                if len(joined) < 2:
                    break
                endorser, endorsee = rng.sample(joined, 2)
                at = day + timedelta(hours=rng.uniform(8, 20))
                give = self._endorse(endorser, endorsee, rng.choice(list(endorsee.skills.all())), at)
                if give is not None and rng.random() < 0.6:
                    thanks.append((give, at + timedelta(hours=rng.choice([1, 3, 6, 10, 20, 30, 60, 120]))))
        for give, at in thanks:
            try:
                services.thank(member=give.receiver, give_id=give.pk, message=rng.choice(self.THANKS[2:]))
            except ReciprocityError:
                continue  # returned already by a give the other way
            Give.objects.filter(pk=give.pk).update(acknowledged_at=at)
            thanks_for_it = Give.objects.filter(
                kind=Give.Kind.THANKS, giver=give.receiver, receiver=give.giver, subject_id=give.pk
            )
            thanks_for_it.update(created=at)

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
    def _endorse(endorser, endorsee, skill, at) -> Give | None:
        try:
            endorsement = services.endorse(endorser=endorser, endorsee=endorsee, skill=skill, at=at)
        except ReciprocityError:
            return None  # a pair drawn twice: the demo simply has one endorsement fewer
        return Give.objects.filter(kind=Give.Kind.ENDORSEMENT, subject_id=endorsement.pk).first()

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
        # In a sentence: "a UX researcher", "an operations manager" (an acronym keeps its capitals).
        role = title if title.split()[0].isupper() else title[0].lower() + title[1:]
        article = "an" if role[0] in "aeiou" else "a"
        opener = rng.choice(
            [
                f"{first} works as {article} {role} at {organisation}.",
                f"At {organisation}, {first} is the {role} people go to first.",
                f"{first} joined {organisation} as {article} {role} after years in the field.",
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
