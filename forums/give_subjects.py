"""The forum's gives, named for Pay it back and the notifications: the thread a reply, a reaction
or an accepted answer is in, linked to the post (see members.give_subjects)."""

from members.give_subjects import About, register, subjects_by_id
from members.models import Give

from .models import Post, Reaction


def _posts(gives: list[Give]) -> dict[int, Post]:
    return subjects_by_id(gives, Post.objects.select_related("thread__group"))


def _replies(gives: list[Give]) -> dict[int, About]:
    posts = _posts(gives)
    return {
        give.pk: About(text=f"replied to you in “{post.thread.title}”", url=post.get_absolute_url())
        for give in gives
        if (post := posts.get(give.subject_id))
    }


def _accepted_answers(gives: list[Give]) -> dict[int, About]:
    posts = _posts(gives)
    return {
        give.pk: About(text=f"accepted your answer to “{post.thread.title}”", url=post.get_absolute_url())
        for give in gives
        if (post := posts.get(give.subject_id))
    }


def _reacted(reaction: Reaction) -> str:
    where = f"your post in “{reaction.post.thread.title}”"
    if reaction.kind == Reaction.Kind.LIKE:
        return f"liked {where}"
    return f"found {where} {reaction.get_kind_display().lower()}"  # "found your post in “…” helpful"


def _reactions(gives: list[Give]) -> dict[int, About]:
    reactions = subjects_by_id(gives, Reaction.objects.select_related("post__thread__group"))
    return {
        give.pk: About(text=_reacted(reaction), url=reaction.post.get_absolute_url())
        for give in gives
        if (reaction := reactions.get(give.subject_id))
    }


register(Give.Kind.REPLY, _replies)
register(Give.Kind.ACCEPTED_ANSWER, _accepted_answers)
register(Give.Kind.REACTION, _reactions)
