"""What each give was about, in words and as a link: "endorsed you for Facilitation", linked to the
skills on your profile; "reacted “Helpful” to your post in “Onboarding”", linked to the post.

Pay it back and the notifications name the object of every give through `describe`. This app
describes its own subjects (endorsements, recommendations, introductions, thank-yous); the forums and
content apps register theirs from `AppConfig.ready()`, so this app imports neither. A describer
receives all the gives of its kind on a page and answers with one query, whatever their number."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from .models import Endorsement, Give, Introduction, Recommendation


@dataclass(frozen=True)
class About:
    text: str  # what the giver did, with its object, as the receiver reads it after the giver's name
    url: str  # where that object is


Describer = Callable[[list[Give]], dict[int, About]]  # gives of one kind → About by give id

_describers: dict[str, Describer] = {}


def register(kind: str, describer: Describer) -> None:
    """Name the objects of one kind of give (the app that owns the subject calls this once)."""
    _describers[kind] = describer


def describe(gives: Iterable[Give]) -> list[Give]:
    """Set `give.about` on each give; a give whose object is gone reads as its plain verb and links to
    the giver. One query per kind of give present."""
    gives = list(gives)
    by_kind: dict[str, list[Give]] = defaultdict(list)
    for give in gives:
        by_kind[give.kind].append(give)
    for kind, group in by_kind.items():
        describer = _describers.get(kind)
        described = describer(group) if describer else {}
        for give in group:
            give.about = described.get(give.pk) or About(text=give.verb, url=give.giver.get_absolute_url())
    return gives


def quoted(text: str, words: int = 8) -> str:
    """A short quotation of someone's words for a one-line description."""
    return f"“{Truncator(' '.join(text.split())).words(words, truncate='…')}”"


def subjects_by_id(gives: list[Give], queryset) -> dict[int, object]:
    """The subjects of these gives, by id, in one query."""
    return queryset.in_bulk({give.subject_id for give in gives})


# This app's own subjects ------------------------------------------------------------------------


def _endorsements(gives: list[Give]) -> dict[int, About]:
    endorsements = subjects_by_id(gives, Endorsement.objects.select_related("skill", "endorsee"))
    return {
        give.pk: About(
            text=f"endorsed you for {endorsement.skill.name}",
            url=f"{endorsement.endorsee.get_absolute_url()}#skills-heading",
        )
        for give in gives
        if (endorsement := endorsements.get(give.subject_id))
    }


def _recommendations(gives: list[Give]) -> dict[int, About]:
    recommendations = subjects_by_id(gives, Recommendation.objects.select_related("recipient"))
    described = {}
    for give in gives:
        if recommendation := recommendations.get(give.subject_id):
            waiting = recommendation.status == Recommendation.Status.PENDING
            url = (
                f"{reverse('requests')}#recommendation-{recommendation.pk}"
                if waiting
                else f"{recommendation.recipient.get_absolute_url()}#recommendations-heading"
            )
            described[give.pk] = About(text=f"recommended you: {quoted(recommendation.text)}", url=url)
    return described


def _introductions(gives: list[Give]) -> dict[int, About]:
    introductions = subjects_by_id(gives, Introduction.objects.select_related("first", "second"))
    described = {}
    for give in gives:
        if introduction := introductions.get(give.subject_id):
            other = introduction.second if give.receiver_id == introduction.first_id else introduction.first
            answer = introduction.first_answer if give.receiver_id == introduction.first_id else introduction.second_answer
            url = f"{reverse('requests')}#introduction-{introduction.pk}" if not answer else other.get_absolute_url()
            described[give.pk] = About(text=f"introduced you to {other.name}", url=url)
    return described


def _thanks(gives: list[Give]) -> dict[int, About]:
    thanked = subjects_by_id(gives, Give.objects.all())
    return {
        give.pk: About(
            text=f"thanked you for your {original.get_kind_display()}: {quoted(original.thank_message, 12)}"
            if original.thank_message
            else f"thanked you for your {original.get_kind_display()}",
            url=give.giver.get_absolute_url(),
        )
        for give in gives
        if (original := thanked.get(give.subject_id))
    }


register(Give.Kind.ENDORSEMENT, _endorsements)
register(Give.Kind.RECOMMENDATION, _recommendations)
register(Give.Kind.INTRODUCTION, _introductions)
register(Give.Kind.THANKS, _thanks)
