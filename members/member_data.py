"""The members app's part of a member's archive: reads of one member's own rows, as plain dicts.

Other people appear by handle and name only (what their public profile shows), never with their
e-mail address, their figures or the scores of the ledger."""

from django.db.models import Q

from .models import Connection, Endorsement, Follow, Give, Introduction, Member, MemberSkill, Notification
from .models import Recommendation
from .personal_data import register_archive_part

CHUNK = 500


def person(member: Member | None) -> dict | None:
    """Another member as the archive names them: a former member has no handle any more."""
    if member is None:
        return None
    if member.is_former:
        return {"handle": None, "name": member.name}
    return {"handle": member.username, "name": member.name}


def profile_rows(member: Member):
    yield {
        "handle": member.username,
        "email": member.email,
        "display_name": member.display_name,
        "headline": member.headline,
        "organisation": member.organisation,
        "job_title": member.job_title,
        "location": member.location,
        "bio": member.bio,
        "website": member.website,
        "linkedin_url": member.linkedin_url,
        "github_url": member.github_url,
        "mastodon_url": member.mastodon_url,
        "avatar": member.avatar.name.rsplit("/", 1)[-1] if member.avatar else None,
        "interests": list(member.interests.values_list("name", flat=True)),
        "joined": member.date_joined,
        "last_sign_in": member.last_login,
        "gives_given": member.gives_given,
        "gives_received": member.gives_received,
        "owed_count": member.owed_count,
    }


def skill_rows(member: Member):
    for row in MemberSkill.objects.filter(member=member).values("skill__name", "skill__slug", "added").iterator():
        yield {"skill": row["skill__name"], "slug": row["skill__slug"], "added": row["added"]}


def _give_row(give: Give, other: Member) -> dict:
    return {
        "kind": give.kind,
        "with": person(other),
        "created": give.created,
        "acknowledgement": give.acknowledgement or None,
        "acknowledged_at": give.acknowledged_at,
        "thank_message": give.thank_message or None,
    }


def gives_given_rows(member: Member):
    gives = Give.objects.filter(giver=member).select_related("receiver").order_by("created", "pk")
    for give in gives.iterator(chunk_size=CHUNK):
        yield _give_row(give, give.receiver)


def gives_received_rows(member: Member):
    gives = Give.objects.filter(receiver=member).select_related("giver").order_by("created", "pk")
    for give in gives.iterator(chunk_size=CHUNK):
        yield _give_row(give, give.giver)


def endorsement_rows(member: Member):
    endorsements = (
        Endorsement.objects.filter(Q(endorser=member) | Q(endorsee=member))
        .select_related("endorser", "endorsee", "skill")
        .order_by("created", "pk")
    )
    for endorsement in endorsements.iterator(chunk_size=CHUNK):
        given = endorsement.endorser_id == member.pk
        yield {
            "direction": "given" if given else "received",
            "with": person(endorsement.endorsee if given else endorsement.endorser),
            "skill": endorsement.skill.name,
            "created": endorsement.created,
        }


def recommendation_rows(member: Member):
    recommendations = (
        Recommendation.objects.filter(Q(author=member) | Q(recipient=member))
        .select_related("author", "recipient")
        .order_by("created", "pk")
    )
    for recommendation in recommendations.iterator(chunk_size=CHUNK):
        written = recommendation.author_id == member.pk
        yield {
            "direction": "written" if written else "received",
            "with": person(recommendation.recipient if written else recommendation.author),
            "text": recommendation.text,
            "status": recommendation.status,
            "created": recommendation.created,
            "decided_at": recommendation.decided_at,
        }


def connection_rows(member: Member):
    connections = (
        Connection.objects.filter(Q(requester=member) | Q(addressee=member))
        .select_related("requester", "addressee")
        .order_by("created", "pk")
    )
    for connection in connections.iterator(chunk_size=CHUNK):
        asked = connection.requester_id == member.pk
        yield {
            "direction": "requested" if asked else "received",
            "with": person(connection.addressee if asked else connection.requester),
            "note": connection.note,
            "status": connection.status,
            "created": connection.created,
            "responded_at": connection.responded_at,
        }


def introduction_rows(member: Member):
    introductions = (
        Introduction.objects.filter(Q(introducer=member) | Q(first=member) | Q(second=member))
        .select_related("introducer", "first", "second")
        .order_by("created", "pk")
    )
    for introduction in introductions.iterator(chunk_size=CHUNK):
        if introduction.introducer_id == member.pk:
            role, people, answer = "introducer", [introduction.first, introduction.second], None
        else:
            role = "introduced"
            people = [introduction.introducer, introduction.other_side(member)]
            answer = introduction.first_answer if introduction.first_id == member.pk else introduction.second_answer
        yield {
            "role": role,
            "people": [person(other) for other in people],
            "note": introduction.note,
            "your_answer": answer or None,
            "outcome": introduction.outcome,
            "created": introduction.created,
        }


def notification_rows(member: Member):
    notifications = Notification.objects.filter(recipient=member).order_by("created", "pk")
    for row in notifications.values("text", "url", "created", "read_at").iterator(chunk_size=CHUNK):
        yield row


def follow_rows(member: Member):
    follows = (
        Follow.objects.filter(Q(follower=member) | Q(followed=member))
        .select_related("follower", "followed")
        .order_by("created", "pk")
    )
    for follow in follows.iterator(chunk_size=CHUNK):
        mine = follow.follower_id == member.pk
        yield {
            "direction": "following" if mine else "follower",
            "with": person(follow.followed if mine else follow.follower),
            "created": follow.created,
            "ended_at": follow.ended_at,
        }


def register() -> None:
    parts = [
        ("profile", profile_rows, "Your profile as you filled it in, and your running totals."),
        ("skills", skill_rows, "The skills you list."),
        ("gives_given", gives_given_rows, "What you did for others, as the ledger recorded it."),
        ("gives_received", gives_received_rows, "What others did for you, and how you acknowledged it."),
        ("endorsements", endorsement_rows, "Endorsements you gave and received."),
        ("recommendations", recommendation_rows, "Recommendations you wrote and received."),
        ("connections", connection_rows, "Connection requests you sent and received, with their notes."),
        ("introductions", introduction_rows, "Introductions you made, and those you were part of."),
        ("notifications", notification_rows, "Your notifications."),
        ("follows", follow_rows, "Whom you follow, and who follows you."),
    ]
    for kind, rows, description in parts:
        register_archive_part(kind, rows, description=description)
