"""The metric catalogue: every metric defined once, here, with its words, its formula, whether it
leads or lags, and how a period's figure is aggregated from the daily rollups.

Aggregates over a period (never an average of medians, never a sum of daily distinct counts):
- sum: the days' values added up (counts; weighted gives);
- mean: the average of the days' values (average daily active members);
- ratio: the days' numerators over the days' denominators (shares);
- median: the median of every day's samples together (times);
- distinct: the number of different members in the days' samples (active members, contributors);
- last: the value of the period's last day (running totals, open questions);
- max: the highest day (longest chain);
- derived: computed from other metrics' figures for the same period.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from . import daily

LEADING, LAGGING = "leading", "lagging"
DOUBLING_DAYS = 182.625  # about six months (seed 004, secret #2)
OWN_PROMOTION_GUIDE = 0.2  # the 80/20 guide (rule 5)


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    area: str
    indicator: str  # leading or lagging
    definition: str  # plain words
    formula: str
    aggregate: str
    unit: str  # count, percent, hours, days, ratio, money
    compute: Callable | None = None  # daily.* (None for derived metrics)
    derive: Callable | None = None  # (figures of the period, PeriodReader) -> value
    # Incremental runs recompute the days late data can still change: the last `settles_days`
    # before the last day rolled up, up to today (edits, acknowledgements within 12 h), and for a
    # figure that waits for a window to close (counted once `closes_days` have passed: activation,
    # answered within 7 days, retention), the same days `closes_days` earlier, which just closed.
    # The days in between hold empty shares until they close, so they need no recomputing.
    settles_days: int = 2
    closes_days: int = 0
    by_group: bool = False
    staff_applies: bool = True  # content metrics count everyone's pages
    higher_is_better: bool = True
    kind: str = ""  # derived metrics that read other metrics list them in `uses`
    uses: tuple[str, ...] = ()

    @property
    def aggregate_words(self) -> str:
        return AGGREGATE_WORDS[self.aggregate]


AGGREGATE_WORDS = {
    "sum": "the days added up",
    "mean": "the average of the days",
    "ratio": "the period's numerators over its denominators (not an average of daily shares)",
    "median": "the median of every sample in the period (not an average of daily medians)",
    "distinct": "different members over the whole period (not a sum of daily counts)",
    "last": "the figure on the period's last day",
    "max": "the highest day",
    "derived": "computed from the period's other figures, as the formula says",
}


def _ratio(a, b):
    return a / b if a is not None and b else None


def _growth_vs_doubling(figures, reader) -> float | None:
    start_total = reader.value_on("members_total", reader.start - timedelta(days=1))
    end_total = figures.get("members_total")
    if not start_total or end_total is None:
        return None
    curve = start_total * 2 ** (reader.length / DOUBLING_DAYS)
    return end_total / curve


def _doubling_time(figures, reader) -> float | None:
    end_total = reader.value_on("members_total", reader.end)
    before = reader.value_on("members_total", reader.end - timedelta(days=90))
    if not before or not end_total or end_total <= before:
        return None
    return 90 * math.log(2) / math.log(end_total / before)


def _weekly_active(figures, reader) -> float | None:
    weeks = reader.length // 7
    if not weeks:
        return None
    sizes = []
    for week in range(weeks):
        first = reader.start + timedelta(days=7 * week)
        sizes.append(reader.members("active_members", first, first + timedelta(days=6)))
    return sum(sizes) / weeks


def _beta_contributions(figures, reader) -> float | None:
    return float(sum(reader.group_sum("posts", group) for group in reader.value_model.beta_group_ids))


def _value_total(figures, reader) -> float | None:
    return float(sum((figures.get(outcome) or 0) * float(price) for outcome, price in reader.value_model.prices()))


METRICS: list[Metric] = [
    # acquisition
    Metric("new_members", "New members", "acquisition", LAGGING,
           "People who joined and verified their e-mail address.",
           "count of members with a verified address, by the day they joined", "sum", "count", daily.new_members),
    Metric("members_total", "Members in all", "acquisition", LAGGING,
           "Everyone with a verified address who has joined so far.",
           "running count of verified members at the end of the period", "last", "count", daily.members_total),
    Metric("growth_vs_doubling", "Growth against doubling", "acquisition", LAGGING,
           "Members at the end of the period compared with a community that doubles every six months from the "
           "size it had when the period began; 100 % is on the curve.",
           "members at end ÷ (members before start × 2^(days in period ÷ 182.6))", "derived", "percent",
           derive=_growth_vs_doubling, uses=("members_total",)),
    Metric("doubling_time", "Doubling time", "acquisition", LAGGING,
           "How long the community would take to double in size at the growth rate of the 90 days before the "
           "period ends; six months (183 days) or less is healthy.",
           "90 × ln 2 ÷ ln(members at end ÷ members 90 days before)", "derived", "days",
           derive=_doubling_time, uses=("members_total",), higher_is_better=False),
    # activation
    Metric("activation_14d", "New members who contribute", "activation", LEADING,
           "Of the members who joined, the share who posted, replied or gave within 14 days of joining "
           "(members who joined less than 14 days ago are not counted yet).",
           "joined and contributed within 14 days ÷ joined, by join day", "ratio", "percent",
           daily.activation_14d, closes_days=14),
    Metric("days_to_first_contribution", "Days to first contribution", "activation", LEADING,
           "The median number of days from joining to a member's first post, reply or give, for first "
           "contributions made in the period.",
           "median(first contribution − joined), by the day of the first contribution", "median", "days",
           daily.days_to_first_contribution, higher_is_better=False),
    # engagement
    Metric("active_members", "Active members", "engagement", LEADING,
           "Different members who visited the site signed in, posted, replied or gave during the period.",
           "count of distinct members with a visit or a contribution in the period", "distinct", "count",
           daily.active_members),
    Metric("daily_active", "Daily active members", "engagement", LEADING,
           "Members active on an average day of the period.",
           "mean over the period's days of the distinct members active that day", "mean", "count",
           daily.active_members, kind="rows_of", uses=("active_members",)),
    Metric("weekly_active", "Weekly active members", "engagement", LEADING,
           "Members active in an average week (seven days from the period start; a part week at the end is "
           "left out).",
           "mean over the period's whole weeks of the distinct members active that week", "derived", "count",
           derive=_weekly_active, uses=("active_members",)),
    Metric("contributors", "Contributors", "engagement", LEADING,
           "Different members who posted, replied or gave during the period.",
           "count of distinct members with a post or a give in the period", "distinct", "count", daily.contributors),
    Metric("stickiness", "Stickiness", "engagement", LEADING,
           "How much of the period's active membership comes back on an average day (for a 30-day period: "
           "DAU ÷ MAU).",
           "daily active members ÷ active members in the period", "derived", "percent",
           derive=lambda f, r: _ratio(f.get("daily_active"), f.get("active_members")),
           uses=("daily_active", "active_members")),
    Metric("threads", "Threads started", "engagement", LEADING,
           "New discussions, questions and promotions opened in the forums.",
           "count of visible opening posts", "sum", "count", daily.threads, by_group=True),
    Metric("replies", "Replies", "engagement", LEADING,
           "Visible replies written in the forums.", "count of visible posts after the opening one", "sum", "count",
           daily.replies, by_group=True),
    Metric("posts", "Posts", "engagement", LEADING,
           "Every visible post, opening posts and replies.", "threads started + replies", "sum", "count",
           daily.posts, by_group=True),
    Metric("replies_per_thread", "Replies per thread", "engagement", LEADING,
           "Replies written for each thread started in the period.", "replies ÷ threads started", "derived", "ratio",
           derive=lambda f, r: _ratio(f.get("replies"), f.get("threads")), uses=("replies", "threads")),
    Metric("reactions", "Reactions", "engagement", LEADING,
           "Likes, 'helpful' and 'insightful' reactions on posts.", "count of reactions", "sum", "count",
           daily.reactions, by_group=True),
    # responsiveness
    Metric("questions", "Questions asked", "responsiveness", LEADING,
           "Threads opened as questions.", "count of question threads, by the day asked", "sum", "count",
           daily.questions, by_group=True),
    Metric("questions_answered", "Questions answered", "responsiveness", LEADING,
           "Of the questions asked, the share that someone other than the asker replied to within 7 days "
           "(questions younger than 7 days are not counted yet).",
           "questions with a reply from someone else within 7 days ÷ questions, by the day asked", "ratio", "percent",
           daily.questions_answered, closes_days=7, by_group=True),
    Metric("time_to_first_reply", "Time to first reply", "responsiveness", LEADING,
           "The median time a question waited for its first reply from someone other than the asker, for "
           "first replies written in the period.",
           "median(first reply − asked), by the day of the reply", "median", "hours",
           daily.time_to_first_reply, by_group=True, higher_is_better=False),
    Metric("time_to_accepted_answer", "Time to accepted answer", "responsiveness", LEADING,
           "The median time from a question to the answer its asker accepted, for answers accepted in the period.",
           "median(accepted − asked), by the day accepted", "median", "hours", daily.time_to_accepted_answer,
           higher_is_better=False),
    Metric("unanswered_48h", "Open questions after 48 h", "responsiveness", LEADING,
           "Questions still without a reply from anyone but the asker 48 hours after they were asked, at the "
           "end of the period.",
           "count of questions asked ≥ 48 h before the end with no reply from someone else by then", "last",
           "count", daily.unanswered_48h, higher_is_better=False),
    # reciprocity
    Metric("gives", "Gives", "reciprocity", LEADING,
           "Favours members did for each other (replies, reactions, shares, endorsements, recommendations, "
           "introductions, credits, thanks, accepted answers), each counted by its weight: a give weighted down "
           "as a quid-pro-quo (rule 8) counts for less.",
           "sum of the weights of the gives", "sum", "count", daily.gives),
    Metric("gives_per_active_member", "Gives per active member", "reciprocity", LEADING,
           "How much each active member gave, on average.", "gives (weighted) ÷ active members", "derived", "ratio",
           derive=lambda f, r: _ratio(f.get("gives"), f.get("active_members")), uses=("gives", "active_members")),
    Metric("acknowledged_12h", "Gives acknowledged within 12 h", "reciprocity", LEADING,
           "Of the gives that call for an acknowledgement (all but thank-yous), the share thanked or returned "
           "within 12 hours, the window in which a thank-you still lands (rule 2); by weight.",
           "weight of gives thanked or returned within 12 h ÷ weight of gives, by the day given", "ratio", "percent",
           daily.acknowledged_12h),
    Metric("acknowledged_7d", "Gives acknowledged within 7 days", "reciprocity", LEADING,
           "The same share within a week (gives younger than a week are not counted yet); by weight.",
           "weight of gives thanked or returned within 7 days ÷ weight of gives, by the day given", "ratio",
           "percent", daily.acknowledged_7d, closes_days=8),
    Metric("time_to_thank", "Time to thank", "reciprocity", LEADING,
           "The median time from a give to its thank-you, for thank-yous written in the period.",
           "median(thanked − given), by the day thanked", "median", "hours", daily.time_to_thank,
           higher_is_better=False),
    Metric("two_way_pairs", "Reciprocity index: two-way pairs", "reciprocity", LEADING,
           "Of the pairs of members who exchanged a give on a day, the share where both had given to the other "
           "within the 90 days up to that day.",
           "pairs giving that day with gives both ways in 90 days ÷ pairs giving that day", "ratio", "percent",
           daily.two_way_pairs),
    Metric("pay_forward", "Gives paid forward", "reciprocity", LEADING,
           "Gives from a member to someone else within 30 days of receiving a give (A gives to B, then B gives "
           "to C).",
           "count of gives B→C with a give A→B (A ≠ C) in the 30 days before", "sum", "count", daily.pay_forward),
    Metric("longest_chain", "Longest pay-forward chain", "reciprocity", LEADING,
           "The longest chain of gives passed on (A→B, B→C within 30 days, C→D …) ending in the period, among "
           "the gives of the 90 days before each day; chains of 12 gives or more count as 12.",
           "max over the days of the longest chain ending that day", "max", "count", daily.longest_chain),
    Metric("give_ask_ratio", "Gives per question", "reciprocity", LEADING,
           "How many favours members did for each question they asked.", "gives (weighted) ÷ questions asked",
           "derived", "ratio", derive=lambda f, r: _ratio(f.get("gives"), f.get("questions")),
           uses=("gives", "questions")),
    Metric("own_promotion_share", "Own-promotion share", "reciprocity", LEADING,
           "Of all posts, the share that open a promotion of one's own; the guide is 20 % or less (80 % "
           "engaging with others, rule 5).",
           "opening posts of promotion threads ÷ posts", "ratio", "percent", daily.own_promotion_share,
           higher_is_better=False),
    Metric("weighted_down_share", "Gives weighted down", "reciprocity", LEADING,
           "The share of gives the scoring weighted down as trades (endorse-back within minutes, rings, "
           "follow-for-follow, empty thank-yous): a health warning, not a target.",
           "gives with weight below 1 ÷ gives (counted, not weighted)", "ratio", "percent",
           daily.weighted_down_share, higher_is_better=False),
    # content
    Metric("articles_published", "Articles published", "content", LEADING,
           "Articles that went live for the first time.", "count of live articles by first publication",
           "sum", "count", daily._published("article"), staff_applies=False),
    Metric("digests_published", "Digests published", "content", LEADING,
           "Insight digests, built from members' posts, that went live.", "count of live digests by first "
           "publication", "sum", "count", daily._published("digest"), staff_applies=False),
    Metric("guest_posts_published", "Guest posts published", "content", LEADING,
           "Guest posts by members that went live.", "count of live guest posts by first publication", "sum",
           "count", daily._published("guest_post"), staff_applies=False),
    Metric("members_credited", "Members credited", "content", LEADING,
           "Different members credited in curated content (each credit is a give, rule 11).",
           "count of distinct receivers of credit gives", "distinct", "count", daily.members_credited),
    Metric("shares", "Shares", "content", LEADING,
           "Times members shared a page of curated content.", "count of shares", "sum", "count", daily.shares),
    # retention
    Metric("retained_1w", "Still active after 1 week", "retention", LAGGING,
           "Of the members who joined in the period, the share active in their second week (days 7–13 after "
           "joining); members whose second week has not ended are not counted yet.",
           "joined and active in days 7–13 ÷ joined, by join day", "ratio", "percent", daily._retained(1),
           closes_days=14),
    Metric("retained_4w", "Still active after 4 weeks", "retention", LAGGING,
           "The share active in days 28–34 after joining.", "joined and active in days 28–34 ÷ joined, by join day",
           "ratio", "percent", daily._retained(4), closes_days=35),
    Metric("retained_12w", "Still active after 12 weeks", "retention", LAGGING,
           "The share active in days 84–90 after joining.", "joined and active in days 84–90 ÷ joined, by join day",
           "ratio", "percent", daily._retained(12), closes_days=91),
    Metric("went_quiet", "Members who went quiet", "retention", LAGGING,
           "Members who had been active and then did nothing for 60 days, counted on the 60th silent day.",
           "count of members whose last activity was 60 days before the day", "sum", "count", daily.went_quiet,
           higher_is_better=False),
    # value
    Metric("accepted_answers", "Accepted answers", "value", LAGGING,
           "Answers the asker accepted: each deflects a support ticket.", "count of accepted-answer gives", "sum",
           "count", daily.accepted_answers, by_group=True),
    Metric("accepted_introductions", "Accepted introductions", "value", LAGGING,
           "Introductions both people accepted, by the day they were made.", "count of introductions both accepted",
           "sum", "count", daily.accepted_introductions, settles_days=31),
    Metric("approved_recommendations", "Approved recommendations", "value", LAGGING,
           "Written recommendations their recipient approved for their profile.",
           "count of recommendations approved", "sum", "count", daily.approved_recommendations),
    Metric("beta_contributions", "Beta-group contributions", "value", LAGGING,
           "Posts in the groups the value model names as beta groups.", "posts in beta groups", "derived", "count",
           derive=_beta_contributions, uses=("posts",)),
    Metric("value_total", "Value delivered", "value", LAGGING,
           "What the period's outcomes are worth to the business, by the value model's assumptions.",
           "accepted answers × value + accepted introductions × value + approved recommendations × value + "
           "beta contributions × value", "derived", "money", derive=_value_total,
           uses=("accepted_answers", "accepted_introductions", "approved_recommendations", "beta_contributions")),
]

BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}
ROLLED_UP = [metric for metric in METRICS if metric.compute is not None and metric.kind != "rows_of"]
AREAS = ["value", "acquisition", "activation", "engagement", "responsiveness", "reciprocity", "content", "retention"]
# The first screen: is the community worth it?
HEADLINES = ["value_total", "active_members", "growth_vs_doubling", "time_to_first_reply", "two_way_pairs"]
VALUE_OUTCOMES = ["accepted_answers", "accepted_introductions", "approved_recommendations", "beta_contributions"]


def rollup_key(metric: Metric) -> str:
    """The rollup rows a metric reads (daily active members reads those of active members)."""
    return metric.uses[0] if metric.kind == "rows_of" else metric.key


def earliest_day_needed(start: date) -> date:
    """Derived figures look back up to 90 days before a period (doubling time)."""
    return start - timedelta(days=91)
