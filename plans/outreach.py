"""The outreach lists of a plan, drawn from data: each says in one sentence who is on it, and is
one query per page (the filters come from the members', forums' and metrics' selectors). Pages
are fetched one row beyond their size to know whether another follows: no count over 100,000
members."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists
from django.utils import timezone

from forums import selectors as forum_selectors
from members import selectors as member_selectors
from metrics import selectors as metric_selectors

PAGE_SIZE = 50
NEWCOMER_DAYS = 14
FIRST_POST_NEWCOMER_DAYS = 30
QUIET_DAYS, ACTIVE_BEFORE_DAYS = 30, 90
GENEROUS_DAYS, GENEROUS_MIN_GIVES, GENEROUS_MAX_SHARE = 90, 5, 0.25
OPEN_QUESTION_HOURS = 48


@dataclass
class Row:
    member: object
    detail: str
    url: str = ""  # the thread or post the row is about


@dataclass
class OutreachList:
    key: str
    title: str
    sentence: str

    def rows(self, plan, *, now, offset: int = 0, limit: int = PAGE_SIZE) -> list[Row]:
        return getattr(self, f"_{self.key}")(plan, now, offset, limit)

    # Each list below: rows [offset, offset + limit) in its own order.

    def _newcomers(self, plan, now, offset, limit):
        since = now - timedelta(days=NEWCOMER_DAYS)
        members = (
            member_selectors.outreach_candidates()
            .filter(date_joined__gte=since)
            .exclude(forum_selectors.ever_posted())
            .exclude(member_selectors.ever_gave())
            .order_by("-date_joined", "-pk")[offset:offset + limit]
        )
        return [Row(m, f"joined {timezone.localtime(m.date_joined):%-d %b}, nothing posted or given yet") for m in members]

    def _first_post(self, plan, now, offset, limit):
        since = now - timedelta(days=FIRST_POST_NEWCOMER_DAYS)
        posts = (
            forum_selectors.first_posts_unanswered(since, now=now)
            .filter(author__in=member_selectors.outreach_candidates().values("pk"))
            .select_related("author")
        )
        rows = list(posts[offset:offset + limit])
        return [
            Row(post.author, f"first post {timezone.localtime(post.created):%-d %b %H:%M} in “{post.thread.title}”, "
                             "no reply within 24 hours",
                post.thread.get_absolute_url())
            for post in rows
        ]

    def _quiet(self, plan, now, offset, limit):
        quiet_since = now - timedelta(days=QUIET_DAYS)
        active_from = quiet_since - timedelta(days=ACTIVE_BEFORE_DAYS)
        day_quiet, day_active = timezone.localtime(quiet_since).date(), timezone.localtime(active_from).date()
        # One EXISTS over a UNION ALL, not three ORed: PostgreSQL would hash an ORed EXISTS over
        # every post of the 90 days; this probes each member's indexes and stops at the first row.
        was_active = Exists(
            metric_selectors.visits_of_outer_member(day_active, day_quiet).values("pk").union(
                forum_selectors.posts_of_outer_member(active_from, quiet_since).values("pk"),
                member_selectors.gives_of_outer_member(active_from, quiet_since).values("pk"),
                all=True,
            )
        )
        members = (
            member_selectors.outreach_candidates()
            .filter(was_active)
            .exclude(forum_selectors.posted_between(quiet_since))
            .exclude(member_selectors.gave_between(quiet_since))
            .exclude(metric_selectors.visited_between(day_quiet))
            .order_by("pk")
        )
        # Ids first (an index-only walk over thousands of members), then the page's rows.
        ids = list(members.values_list("pk", flat=True)[offset:offset + limit])
        found = members.model.objects.in_bulk(ids)
        return [Row(found[pk], f"active between {day_active:%-d %b} and {day_quiet:%-d %b}, nothing since")
                for pk in ids if pk in found]

    def _generous(self, plan, now, offset, limit):
        since = now - timedelta(days=GENEROUS_DAYS)
        figures = list(member_selectors.generous_unacknowledged(
            since, min_gives=GENEROUS_MIN_GIVES, max_share=GENEROUS_MAX_SHARE
        )[offset:offset + limit])
        members = member_selectors.outreach_candidates().in_bulk([row["giver_id"] for row in figures])
        return [
            Row(members[row["giver_id"]], f"{row['given']} gives in {GENEROUS_DAYS} days, {row['acknowledged']} "
                                          "acknowledged")
            for row in figures if row["giver_id"] in members
        ]

    def _beta_skills(self, plan, now, offset, limit):
        skill_ids = [skill.pk for skill in plan.beta_skills.all()]
        if not plan.beta_group_id or not skill_ids:
            return []
        members = (
            member_selectors.outreach_candidates()
            .filter(member_selectors.has_skill_in(skill_ids))
            .exclude(forum_selectors.in_group(plan.beta_group_id))
            .prefetch_related("skills")
            .order_by("pk")[offset:offset + limit]
        )
        wanted = set(skill_ids)
        return [
            Row(m, "skills: " + ", ".join(s.name for s in m.skills.all() if s.pk in wanted)) for m in members
        ]

    def _open_questions(self, plan, now, offset, limit):
        threads = forum_selectors.open_questions(now - timedelta(hours=OPEN_QUESTION_HOURS))[offset:offset + limit]
        return [
            Row(thread.author, f"asked “{thread.title}” on {timezone.localtime(thread.created):%-d %b}, no reply yet",
                thread.get_absolute_url())
            for thread in threads if thread.author.is_active
        ]


LISTS: dict[str, OutreachList] = {
    outreach_list.key: outreach_list
    for outreach_list in [
        OutreachList("newcomers", "Newcomers who have not contributed",
                     f"Members who joined in the last {NEWCOMER_DAYS} days and have not posted, replied or given yet."),
        OutreachList("first_post", "First posts nobody answered",
                     f"Members who joined in the last {FIRST_POST_NEWCOMER_DAYS} days whose first post got no reply from "
                     "anyone else within 24 hours."),
        OutreachList("quiet", "Members who went quiet",
                     f"Members active (a visit, a post or a give) in the {ACTIVE_BEFORE_DAYS} days before the last "
                     f"{QUIET_DAYS}, and with nothing at all in the last {QUIET_DAYS} days."),
        OutreachList("generous", "Generous members nobody thanked",
                     f"Members who gave at least {GENEROUS_MIN_GIVES} favours in the last {GENEROUS_DAYS} days, of which "
                     f"{GENEROUS_MAX_SHARE:.0%} or fewer were thanked or returned."),
        OutreachList("beta_skills", "Skills that match the beta group",
                     "Members who list a skill of the beta group's topic and are not in the beta group."),
        OutreachList("open_questions", "Open questions after 48 hours",
                     f"Members whose question has waited more than {OPEN_QUESTION_HOURS} hours without a reply from "
                     "anyone else."),
    ]
}


def access_list(key: str) -> OutreachList:
    from django.http import Http404

    try:
        return LISTS[key]
    except KeyError:
        raise Http404("No outreach list has that name.") from None
