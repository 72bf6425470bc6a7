"""The demo forums: groups, discussions, answered questions, a poll, flagged and held posts.
Everything goes through forums.services, as a member's own actions would."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members.models import Member

from . import services
from .models import Group, Post, TrustLevel

GROUPS = [
    ("Onboarding and activation", "topic", "public", "open",
     "How we welcome newcomers and get them to their first real contribution."),
    ("Community metrics", "topic", "members", "open",
     "Measuring what the community is worth: engagement, retention, support deflection, advocacy."),
    ("Events and programmes", "topic", "members", "open",
     "Meetups, AMAs, content programmes and the 90-day plans behind them."),
    ("Community managers circle", "peer", "members", "request",
     "A peer group for people who run communities. Ask to join; a moderator will say hello."),
    ("Product beta group", "peer", "private", "invite",
     "Early builds, rough edges and honest feedback. By invitation."),
]  # fmt: skip

# (group, author, kind, title, opening post, replies as (author, text, number replied to), number accepted)
# where group and authors are indexes into GROUPS and the cast.
THREADS = [
    (0, 0, "question", "What does your first-week welcome look like?",
     "We lose half of our sign-ups before they post anything. What do you do in a newcomer's first week "
     "that actually works? Personal messages, a welcome thread, something else?",
     [(1, "We pair every newcomer with a **buddy** for two weeks. The buddy's only job is to reply to their "
          "first post within a day. Our first-post rate went from 22 % to 41 %.", None),
      (2, "A welcome thread where people answer three short questions. Low effort, and it gives the "
          "regulars something to reply to.", None),
      (3, "great post!", None),
      (0, "The buddy idea is exactly what we need. How do you recruit the buddies?", 2),
      (1, "From members who reached trust level *member* in the last quarter: they remember being new.", 5)],
     2),
    (1, 4, "discussion", "Which three numbers do you show your executive sponsor?",
     "Our VP wants one slide a month. I can pull fifty metrics; which three tell the story?",
     [(5, "1. Questions answered by members (support deflection)\n2. Time to first answer\n3. Members who "
          "came back within 30 days", None),
      (6, "Add one story per month. A number without a member behind it does not land.", None),
      (4, "@member what did you show at Brightline? You mentioned a dashboard last week.", None)],
     None),
    (1, 7, "question", "How do you count support deflection without a survey?",
     "We want a figure for tickets avoided thanks to the forums. Has anyone done it from logs alone?",
     [(8, "We match forum sessions that end on an accepted answer against ticket creation within 24 hours "
          "for the same account. Conservative, but finance accepted it.", None)],
     2),
    (2, 9, "discussion", "AMA formats that worked (and one that did not)",
     "Our last AMA had 300 viewers and 4 questions. What formats get people talking?",
     [(10, "Collect questions for a week **before** the event and start with the best three.", None),
      (11, "Smaller is better: 20 people, cameras on, one guest.", None)],
     None),
    (0, 12, "discussion", "Writing the welcome message: personal beats perfect",
     "Every template we try reads like a template. Does anyone still write them by hand?",
     [(13, "By hand, short, and mentioning one thing from their profile. Takes a minute each.", None)],
     None),
    (3, 0, "discussion", "Burnout in volunteer moderators",
     "Two of our best moderators stepped back this month. How do you spot it early?",
     [(14, "We rotate queue duty weekly and nobody moderates more than two weeks in a row.", None)],
     None),
    (4, 1, "discussion", "Beta 4.2: the new notification digest",
     "The digest goes out daily at 08:00 local time. Tell us what you would change.",
     [(15, "Weekly by default, daily opt-in. Daily felt like a lot.", None)],
     None),
]  # fmt: skip


def seed_forums(stdout=None) -> int:
    """Create the demo forums once; returns how many threads were added."""
    if Group.objects.exists():
        return 0
    with transaction.atomic():
        return _seed()


def _seed() -> int:
    manager = Member.objects.get(username="manager")
    moderator = Member.objects.get(username="moderator")
    member = Member.objects.get(username="member")
    rng = random.Random("forums")
    people = list(Member.objects.filter(is_active=True).exclude(username__in=["sponsor", "administrator"]))
    people.sort(key=lambda person: person.pk)
    cast = [member, *rng.sample([p for p in people if p not in (member, manager, moderator)], 16)]
    for person in cast:  # founding members, past the newcomer limits: their standing, not a decision to log
        services.import_trust_level(member=person, level=TrustLevel.MEMBER)
    groups = []
    for name, kind, visibility, policy, description in GROUPS:
        group = services.create_group(
            actor=manager, name=name, kind=kind, visibility=visibility, policy=policy, description=description
        )
        for person in [*cast, moderator]:
            if policy != "open":
                services.invite_member(actor=manager, group=group, member=person)
            services.join_group(member=person, group=group)
        groups.append(group)
    for extra in rng.sample(people, 60):  # the rest of the community joins the open groups
        for group in groups[:3]:
            if extra not in (*cast, moderator, manager):
                services.join_group(member=extra, group=group)
    _history(groups[:3] + groups[4:], [member, *cast[1:]], rng)
    for group_index, author_index, kind, title, body, replies, accept in THREADS:
        group, author = groups[group_index], cast[author_index]
        thread = services.start_thread(author=author, group=group, title=title, body=body, kind=kind)
        posts = {}
        for reply_author, text, reply_to in replies:
            post = services.reply(author=cast[reply_author], thread=thread, body=text, reply_to=posts.get(reply_to))
            posts[post.number] = post
        for post in posts.values():
            for reactor in rng.sample(cast, 3):
                if reactor != post.author:
                    services.react(member=reactor, post=post, kind=rng.choice(["like", "helpful", "insightful"]))
        if accept:
            services.accept_answer(member=author, post=posts[accept])
    _poll(groups[2], cast[9])
    _flags_and_held(groups[0], cast, moderator)
    return len(THREADS) + 1


HISTORY_WEEKS = 52
HISTORY_TOPICS = [
    ("question", "How do you measure {}?"), ("question", "Who has a template for {}?"),
    ("question", "What went wrong with {} for you?"), ("discussion", "Notes from our {} retro"),
    ("discussion", "What we learned running {}"), ("question", "Is anyone automating {}?"),
    ("question", "How much time do {} take each week?"), ("discussion", "Small wins with {}"),
    ("question", "Who owns {} in your team?"), ("discussion", "Rethinking {} for next quarter"),
    ("question", "How do you get started with {}?"), ("discussion", "A year of {}: what changed"),
]  # fmt: skip
HISTORY_SUBJECTS = ["welcome threads", "member interviews", "beta feedback", "AMAs", "office hours", "digests",
                    "volunteer moderators", "newsletters", "meetups", "support deflection", "onboarding e-mails",
                    "champion programmes", "member spotlights", "feature requests", "local chapters",
                    "community surveys", "mentoring pairs", "release notes", "user groups", "badges",
                    "expert panels", "welcome calls", "peer reviews", "case studies", "hackathons",
                    "sponsor reports", "thank-you notes", "moderation guidelines"]  # fmt: skip
HISTORY_REPLIES = [
    "For {} we kept it simple and it worked: one owner, one channel, and a check-in every Friday.",
    "We tried three tools for {} and went back to a shared document. The habit matters more than the tool.",
    "Start smaller than you think. Our first round of {} had five people and taught us more than the next fifty.",
    "Ask the members who benefit. When we did that for {}, half of our assumptions turned out wrong.",
    "We measure {} by what people do a month later, not by how many turn up on the day.",
]  # fmt: skip


def _history(groups: list[Group], cast: list[Member], rng: random.Random) -> None:
    """A year of threads and replies for the reports: more as the community grows, fewer in August
    and over the new year, questions answered within hours or a day, some answers accepted."""
    from django.contrib.contenttypes.models import ContentType

    from members.models import Give

    from .models import Thread

    post_type = ContentType.objects.get_for_model(Post)
    now = timezone.now()
    # Every title once (a search never lists two threads that look the same), in a seeded order.
    every_title = [
        (kind, title.format(subject), subject) for kind, title in HISTORY_TOPICS for subject in HISTORY_SUBJECTS
    ]
    titles = []
    for weeks_ago in range(HISTORY_WEEKS, 0, -1):
        week = now - timedelta(weeks=weeks_ago)
        joined = [person for person in cast if person.date_joined < week]
        if len(joined) < 2:
            continue
        season = 0.4 if week.month == 8 or (week.month, week.day) >= (12, 20) else 1
        for _ in range(round((2 + 0.6 * len(joined)) * season)):
            author = rng.choice(joined)
            if not titles:
                titles = rng.sample(every_title, len(every_title))
            kind, title, subject = titles.pop()
            asked = week + timedelta(days=rng.uniform(0, 6.5))
            thread = services.start_thread(
                author=author, group=rng.choice(groups), title=title, kind=kind,
                body=f"{title} We have tried a few things this quarter and would like to hear what works elsewhere.",
            )
            moments = {thread.posts.get().pk: asked}
            answers = []
            at = asked
            others = [person for person in joined if person != author]
            for replier in rng.sample(others, min(rng.choice([0, 1, 1, 2, 3]), len(others))):
                at += timedelta(hours=rng.choice([0.5, 1, 2, 4, 8, 20, 30]))
                reply = services.reply(
                    author=replier, thread=thread, body=rng.choice(HISTORY_REPLIES).format(subject)
                )
                moments[reply.pk], answers = at, [*answers, reply]
            for pk, moment in moments.items():
                Post.objects.filter(pk=pk).update(created=moment)
                Give.objects.filter(subject_type=post_type, subject_id=pk, kind=Give.Kind.REPLY).update(created=moment)
            if kind == "question" and answers and rng.random() < 0.5:
                services.accept_answer(member=author, post=answers[0])
                accepted = moments[answers[0].pk] + timedelta(hours=rng.choice([1, 5, 12, 30]))
                Give.objects.filter(kind=Give.Kind.ACCEPTED_ANSWER, subject_id=answers[0].pk).update(created=accepted)
            Thread.objects.filter(pk=thread.pk).update(created=asked, last_activity_at=max(moments.values()))


def _poll(group: Group, author: Member) -> None:
    services.start_thread(
        author=author,
        group=group,
        title="Which day suits the monthly meetup?",
        body="We are moving the meetup. Vote for the day that works for you; results show once you vote.",
        poll=services.PollSpec(
            question="Which day suits you best?",
            options=["Tuesday evening", "Wednesday lunchtime", "Thursday evening"],
            closes_at=timezone.now() + timedelta(days=14),
        ),
    )


def _flags_and_held(group: Group, cast: list[Member], moderator: Member) -> None:
    """A spammy post flagged by two members, and a newcomer's link held for review (rule 10)."""
    thread = group.threads.order_by("created").first()
    outsiders = Member.objects.filter(is_active=True).exclude(group_memberships__group=group).order_by("-pk")
    spammer, newcomer = outsiders[:2]
    services.join_group(member=spammer, group=group)
    services.import_trust_level(member=spammer, level=TrustLevel.BASIC)  # can post links: the flags catch them
    spam = services.reply(
        author=spammer, thread=thread, body="Buy followers cheap!!! Best growth hack, DM me for prices."
    )
    for flagger, reason in (
        (cast[1], "Spam: selling followers"),
        (cast[2], "Advertising, nothing to do with the thread"),
    ):
        services.flag_post(member=flagger, post=spam, reason=reason)
    services.join_group(member=newcomer, group=group)
    held = services.reply(
        author=newcomer,
        thread=thread,
        body="We wrote up our welcome sequence here: https://example.org/welcome-sequence — feedback welcome.",
    )
    assert held.status == Post.Status.HELD
