"""The forum pages. Each view validates input, calls one service or selector, and answers with
the page or a clear message; nothing here writes a model."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.errors import DomainError
from community.refusals import refusal_on, refusal_shown
from members.models import Member

from . import fragments, selectors, services
from .forms import (
    EditForm,
    GroupForm,
    InviteForm,
    ReasonForm,
    ReplyForm,
    SearchForm,
    SuspendForm,
    ThreadForm,
    TrustForm,
)
from .models import GroupMembership, ModerationAction, Participant, Poll, Post, Thread, TrustLevel


def _back(request, fallback: str) -> HttpResponseRedirect:
    """Return to the page the form was on (only a path on this site), or to `fallback`."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


# Groups -----------------------------------------------------------------------------------------


def group_list(request):
    return render(
        request,
        "forums/group_list.html",
        {"groups": selectors.group_list(request.user), "can_manage": selectors.can_manage_groups(request.user)},
    )


@login_required
def group_create(request):
    selectors.check_manage_groups_permission(request.user)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            group = services.create_group(actor=request.user, **form.cleaned_data)
            messages.success(request, f"{group.name} is open. You moderate it.")
            return redirect(group)
    return render(request, "forums/group_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def group_settings(request, slug: str):
    group = selectors.access_group(request.user, slug)
    selectors.check_manage_groups_permission(request.user)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.update_group(actor=request.user, group=group, **form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect(group)
    return render(request, "forums/group_form.html", {"form": form, "group": group}, status=400 if form.errors else 200)


def group_detail(request, slug: str):
    group = selectors.access_group_to_join(request.user, slug)
    membership = (
        GroupMembership.objects.filter(group=group, member=request.user).first()
        if request.user.is_authenticated
        else None
    )
    # An invitee meets a private group by its name and description; its threads wait until they join.
    invited_outsider = membership is not None and membership.status == GroupMembership.Status.INVITED
    invited_outsider = invited_outsider and not selectors.can_read_group(request.user, group)
    threads = selectors.thread_list(request.user, group) if not invited_outsider else Thread.objects.none()
    page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/group_detail.html",
        {
            "group": group,
            "page": page,
            "threads": selectors.with_unread(request.user, page.object_list),
            "membership": membership,
            "is_group_moderator": selectors.is_group_moderator(request.user, group),
            "can_manage": selectors.can_manage_groups(request.user),
        },
    )


@login_required
@require_POST
def group_join(request, slug: str):
    """Join, then go back where the member was (a thread's reply box, say, from "Join and reply")."""
    group = selectors.access_group_to_join(request.user, slug)
    with refusal_shown(request):
        membership = services.join_group(member=request.user, group=group)
        if membership.status == GroupMembership.Status.ACTIVE:
            said = "Your reply box is open below." if request.POST.get("next", "").endswith("#reply") else ""
            messages.success(request, f"Welcome to {group.name}. {said}".strip())
        else:
            messages.success(request, f"Your request to join {group.name} was sent to its moderators.")
    return _back(request, group.get_absolute_url())


@login_required
@require_POST
def group_leave(request, slug: str):
    group = selectors.access_group_to_join(request.user, slug)
    with refusal_shown(request):
        former = services.leave_group(member=request.user, group=group)
        said = {
            GroupMembership.Status.INVITED: f"You declined the invitation to {group.name}.",
            GroupMembership.Status.REQUESTED: f"You withdrew your request to join {group.name}.",
        }
        messages.success(request, said.get(former.status, f"You left {group.name}."))
    return redirect("forums:groups")


@login_required
def group_members(request, slug: str):
    group = selectors.access_group(request.user, slug)
    selectors.check_moderate_permission(request.user, group)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitee = Member.objects.filter(username__iexact=form.cleaned_data["handle"], is_active=True).first()
        if invitee is None:
            form.add_error("handle", "No member has that handle.")
        else:
            with refusal_on(form, field="handle"):
                services.invite_member(actor=request.user, group=group, member=invitee)
                messages.success(request, f"{invitee.name} is invited.")
                return redirect("forums:group-members", slug=group.slug)
    memberships = group.memberships.select_related("member").order_by("status", "member__display_name")
    return render(
        request,
        "forums/group_members.html",
        {"group": group, "memberships": memberships, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_decide(request, membership_id: int, answer: str):
    membership = get_object_or_404(GroupMembership.objects.select_related("group"), pk=membership_id)
    with refusal_shown(request):
        services.decide_membership(actor=request.user, membership_id=membership_id, approve=answer == "approve")
    return redirect("forums:group-members", slug=membership.group.slug)


# Threads ----------------------------------------------------------------------------------------


@login_required
def thread_create(request, slug: str):
    group = selectors.access_group(request.user, slug)
    form = _suggesting_mentions(ThreadForm(request.POST or None), group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        poll = None
        if data["poll_question"] or data["poll_options"]:
            poll = services.PollSpec(
                question=data["poll_question"],
                options=data["poll_options"].splitlines(),
                multiple=data["poll_multiple"],
                closes_at=data["poll_closes_at"],
            )
        with refusal_on(form):
            thread = services.start_thread(
                author=request.user, group=group, title=data["title"], body=data["body"], kind=data["kind"], poll=poll
            )
            _tell_unresolved_mentions(request, getattr(thread, "unresolved_mentions", ()))
            return redirect(thread)
    return render(
        request, "forums/thread_form.html", {"group": group, "form": form}, status=400 if form.errors else 200
    )


def thread_detail(request, slug: str, thread_id: int):
    thread = selectors.access_thread(request.user, thread_id, group_slug=slug)
    form = ReplyForm(request.POST or None)
    replying_to = None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={thread.get_absolute_url()}")
        if form.is_valid():
            reply_to = None
            if form.cleaned_data["reply_to"]:
                reply_to = selectors.post_in_thread(thread, form.cleaned_data["reply_to"])
            with refusal_on(form) as refusal:
                post = services.reply(
                    author=request.user, thread=thread, body=form.cleaned_data["body"], reply_to=reply_to
                )
                if post.status == Post.Status.HELD:
                    messages.info(request, "Your post has links, so a moderator checks it before others see it.")
                _tell_unresolved_mentions(request, post.unresolved_mentions)
                return redirect(post.get_absolute_url())
            status = refusal.status
        else:
            status = 400
    elif request.GET.get("reply_to") or request.GET.get("quote"):
        form, replying_to = _prefilled_reply(thread, request.GET)
    page_number = _page_of(request, thread)
    page = selectors.thread_page(request.user, thread, page_number)
    if request.user.is_authenticated and page.posts:
        services.mark_read(member=request.user, thread=thread, number=page.posts[-1].number)
    can_moderate = selectors.is_group_moderator(request.user, thread.group)
    standing = selectors.reply_standing(request.user, thread, moderator=can_moderate)
    can_accept = selectors.can_accept_answers(request.user, thread, moderator=can_moderate)
    if can_accept:
        selectors.mark_acceptable(thread, page.posts, moderator=can_moderate)
    fragments.prepare(thread, page.posts)
    return render(
        request,
        "forums/thread.html",
        {
            "thread": thread,
            "group": thread.group,
            "page": page,
            "form": form,
            "poll": selectors.poll_for(request.user, thread),
            "standing": standing,
            "can_post": standing.can_post,
            "replying_to": replying_to,
            # Reply and Quote lead to the reply box, or to the way into it (sign in, join).
            "reply_links": standing.offer in REPLY_LINK_OFFERS,
            "reply_return": _reply_return(request, thread),
            "open_reply": any(name in request.GET for name in ("reply", "reply_to", "quote")),
            "can_accept": can_accept,
            "can_moderate": can_moderate,
        },
        status=status,
    )


REPLY_LINK_OFFERS = {"post", "sign-in", "join", "invited"}


def _reply_return(request, thread: Thread) -> str:
    """Where signing in or joining to reply comes back to: this page of the thread, reply box open."""
    kept = {
        name: request.GET[name]
        for name in ("page", "post", "reply_to", "quote")
        if request.GET.get(name, "").isdigit()
    }
    if "reply_to" not in kept and "quote" not in kept:
        kept["reply"] = "open"
    return f"{thread.get_absolute_url()}?{urlencode(kept)}#reply"


def _suggesting_mentions(form, group):
    """The post's text box suggests the members a mention in `group` reaches (static/js/mentions.js)."""
    form.fields["body"].widget.attrs["data-mentions"] = reverse("api-forums-group-mentionable", args=[group.slug])
    return form


def _tell_unresolved_mentions(request, handles) -> None:
    """An @word that is nobody's handle stays plain text and tells nobody: say so, by name."""
    if not handles:
        return
    named = ", ".join(f"@{handle}" for handle in handles)
    who = "No member has the handle" if len(handles) == 1 else "No member has these handles:"
    messages.warning(
        request,
        f"{who} {named}, so nobody was told. "
        "Type @ and a few letters of a name to pick the person, then edit your post.",
    )


def _page_of(request, thread: Thread) -> int:
    """?post=N opens the page holding post N; ?page=N a page; the default is the first."""
    for parameter, to_page in (("post", lambda n: (n - 1) // selectors.POSTS_PER_PAGE + 1), ("page", int)):
        value = request.GET.get(parameter, "")
        if value.isdigit() and int(value) > 0:
            return to_page(int(value))
    return 1


def _prefilled_reply(thread: Thread, query) -> tuple[ReplyForm, Post | None]:
    number = query.get("quote") or query.get("reply_to")
    post = selectors.post_in_thread(thread, int(number)) if number.isdigit() else None
    if post is None or not post.is_visible:
        return ReplyForm(), None
    initial = {"reply_to": post.number}
    if query.get("quote"):
        quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
        initial["body"] = f"{quoted}\n\n— @{post.author.username}\n\n"
    return ReplyForm(initial=initial), post


@login_required
@require_POST
def thread_moderate(request, thread_id: int, action: str):
    thread = selectors.access_thread(request.user, thread_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why: the reason is kept with the decision.")
        return redirect(thread)
    reason = form.cleaned_data["reason"]
    with refusal_shown(request):
        if action in ("lock", "unlock"):
            services.lock_thread(moderator=request.user, thread=thread, locked=action == "lock", reason=reason)
        else:
            services.pin_thread(moderator=request.user, thread=thread, pinned=action == "pin", reason=reason)
        done = {"lock": "locked", "unlock": "unlocked", "pin": "pinned", "unpin": "unpinned"}[action]
        messages.success(request, f"You {done} “{thread.title}”. The decision is in the moderation log.")
    return redirect(thread)


def _from_script(request) -> bool:
    """forums.js asks for the changed part of the page (a fragment) instead of a whole new page."""
    return request.headers.get("X-Requested-With") == "fetch"


def poll_detail(request, poll_id: int):
    """The poll as the viewer sees it, for forums.js to refresh in place; a person is sent to the thread."""
    poll = get_object_or_404(Poll.objects.select_related("thread__group"), pk=poll_id)
    thread = selectors.access_thread(request.user, poll.thread_id)
    if not _from_script(request):
        return redirect(f"{thread.get_absolute_url()}#poll")
    return _poll_fragment(request, thread)


def _poll_fragment(request, thread: Thread, *, said: str = "", status: int = 200):
    context = {
        "thread": thread,
        "group": thread.group,
        "poll": selectors.poll_for(request.user, thread),
        "standing": selectors.reply_standing(request.user, thread),
        "said": said,
    }
    return render(request, "forums/includes/poll.html", context, status=status)


@login_required
@require_POST
def poll_vote(request, poll_id: int):
    poll = get_object_or_404(Poll.objects.select_related("thread__group"), pk=poll_id)
    thread = selectors.access_thread(request.user, poll.thread_id)
    option_ids = [int(value) for value in request.POST.getlist("option") if value.isascii() and value.isdigit()]
    if _from_script(request):  # the poll answers in place: its results, or the refusal beside the ballot
        try:
            services.vote(member=request.user, poll=poll, option_ids=option_ids)
        except DomainError as refused:  # said inside the fragment, not on the next page
            return _poll_fragment(request, thread, said=refused.message, status=refused.status)
        return _poll_fragment(request, thread, said="Your vote is counted.")
    with refusal_shown(request):
        services.vote(member=request.user, poll=poll, option_ids=option_ids)
        messages.success(request, "Your vote is counted.")
    return redirect(f"{thread.get_absolute_url()}#poll")


# Posts ------------------------------------------------------------------------------------------


@login_required
@require_POST
def react(request, post_id: int, kind: str):
    post = selectors.access_post(request.user, post_id)
    with refusal_shown(request):
        services.react(member=request.user, post=post, kind=kind)
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def accept(request, post_id: int):
    post = selectors.access_post(request.user, post_id)
    with refusal_shown(request):
        services.accept_answer(member=request.user, post=post)
        messages.success(request, f"You accepted {post.author.name}'s answer. They will hear of it.")
    return redirect(post.get_absolute_url())


@login_required
def edit_post(request, post_id: int):
    post = selectors.access_post(request.user, post_id)
    selectors.check_edit_permission(request.user, post)
    form = _suggesting_mentions(EditForm(request.POST or None, initial={"body": post.body}), post.thread.group)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            post = services.edit_post(editor=request.user, post=post, body=form.cleaned_data["body"])
            _tell_unresolved_mentions(request, post.unresolved_mentions)
            return redirect(post.get_absolute_url())
    return render(request, "forums/edit_post.html", {"post": post, "form": form}, status=400 if form.errors else 200)


def post_history(request, post_id: int):
    post = selectors.access_post(request.user, post_id)
    revisions = post.revisions.select_related("edited_by")
    return render(request, "forums/post_history.html", {"post": post, "revisions": revisions})


@login_required
def flag(request, post_id: int):
    post = selectors.access_post(request.user, post_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.flag_post(member=request.user, post=post, reason=form.cleaned_data["reason"])
            messages.success(request, "Thank you. Moderators will look at it.")
            return redirect(post.get_absolute_url())
    return render(request, "forums/flag.html", {"post": post, "form": form}, status=400 if form.errors else 200)


# Moderation -------------------------------------------------------------------------------------


@login_required
def moderation(request):
    selectors.check_moderate_permission(request.user)
    queue = selectors.moderation_queue()
    log = ModerationAction.objects.select_related("moderator", "member", "post__thread", "thread")[:30]
    return render(request, "forums/moderation.html", {**queue, "log": log, "form": ReasonForm()})


@login_required
@require_POST
def moderate_post(request, post_id: int, action: str):
    post = selectors.access_post(request.user, post_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why: the reason is kept with the decision.")
        return _back(request, post.get_absolute_url())
    act = {
        "hide": services.hide_post,
        "restore": services.restore_post,
        "approve": services.approve_post,
        "dismiss-flags": services.dismiss_flags,
    }[action]
    with refusal_shown(request):
        act(moderator=request.user, post=post, reason=form.cleaned_data["reason"])
        messages.success(request, _moderated_message(action, post))
    return _back(request, post.get_absolute_url())


# What a moderator just did, to what, and who hears of it: the confirmation names the decision.
_MODERATED = {
    "hide": "You hid {post}. {author} is told why; the decision is in the moderation log.",
    "restore": "You restored {post}; it is visible again. The decision is in the moderation log.",
    "approve": "You approved {post}; it is live now. The decision is in the moderation log.",
    "dismiss-flags": "You dismissed the flags on {post}; it stays as it is. The decision is in the moderation log.",
}


def _moderated_message(action: str, post) -> str:
    described = f"{post.author.name}'s post #{post.number} in “{post.thread.title}”"
    return _MODERATED[action].format(post=described, author=post.author.name)


@login_required
def member_standing(request, handle: str):
    """A moderator suspends a member; a manager grants a trust level. Both see the member's log."""
    selectors.check_moderate_permission(request.user)
    member = get_object_or_404(Member, username=handle)
    participant = Participant.objects.filter(member=member).first()
    suspend_form = SuspendForm(request.POST if "days" in request.POST else None)
    trust_form = TrustForm(
        request.POST if "level" in request.POST else None,
        initial={"level": participant.trust_level if participant else 0},
    )
    for form, act in ((suspend_form, _suspend), (trust_form, _grant)):
        if form.is_bound and form.is_valid():
            with refusal_on(form):
                act(request, member, form.cleaned_data)
                return redirect("forums:member-standing", handle=member.username)
    log = ModerationAction.objects.filter(member=member).select_related("moderator")[:20]
    return render(
        request,
        "forums/member_standing.html",
        {
            "member": member,
            "participant": participant,
            "suspend_form": suspend_form,
            "trust_form": trust_form,
            "log": log,
            "can_grant": request.user.has_perm("forums.change_participant"),
        },
        status=400 if suspend_form.errors or trust_form.errors else 200,
    )


def _suspend(request, member, data) -> None:
    services.suspend_member(moderator=request.user, member=member, days=data["days"], reason=data["reason"])
    if data["days"]:
        messages.success(request, f"You suspended {member.name} from the forums for {data['days']} days; they are told why.")
    else:
        messages.success(request, f"You lifted {member.name}'s suspension.")


def _grant(request, member, data) -> None:
    services.set_trust_level(actor=request.user, member=member, level=data["level"], reason=data["reason"])
    level = TrustLevel(data["level"]).label
    messages.success(request, f"{member.name} is at trust level {data['level']} ({level}) now; the grant is in their log.")


# Search -----------------------------------------------------------------------------------------


def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.search(request.user, query), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/search.html",
        {"form": form, "query": query, "page": page, "results": page.object_list, "query_string": f"q={query}"},
    )
