"""Site actions around the curated content: share, guest-post submission, the curation queue and
digest building, quoting consent, and the one site search. Pages themselves are Wagtail's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from wagtail.models import Page

from community.refusals import refusal_on, refusal_shown
from forums import selectors as forum_selectors

from . import selectors, services
from .forms import DigestForm, GuestPostForm, QuotingForm, SiteSearchForm
from .models import DigestQuote, DigestSelection, QuoteOptOut


@login_required
@require_POST
def share(request, page_id: int):
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    # Shared already is no failure: the page shows the link again.
    with refusal_shown(request, level=messages.INFO):
        services.share(member=request.user, page=page)
        messages.success(request, "Shared — copy the link below and pass it on.")
    return redirect(f"{page.url}?shared=1#share")


@login_required
def guest_post(request):
    form = GuestPostForm(request.POST or None, initial={"bio": request.user.bio})
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.submit_guest_post(member=request.user, **form.cleaned_data)
            messages.success(
                request, "Thank you! A community manager will review your post and tell you when it is live."
            )
            return redirect("content:guest-post")
    return render(request, "content/guest_post_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def curation(request):
    services.check_curate_permission(request.user)
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 30
    context = selectors.curation_candidates(days=min(max(days, 1), 365))
    context |= {"selection": _selection(request.user), "form": DigestForm()}
    return render(request, "content/curation.html", context)


def _selection(manager):
    return DigestSelection.objects.filter(manager=manager).select_related("post__author", "post__thread__group")


@login_required
@require_POST
def add_to_digest(request, post_id: int):
    post = forum_selectors.access_post(request.user, post_id)
    with refusal_shown(request):
        services.add_to_digest(manager=request.user, post=post)
        messages.success(request, f"Added {post.author.name}'s post to your digest selection.")
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def remove_from_digest(request, post_id: int):
    services.check_curate_permission(request.user)
    services.remove_from_selection(manager=request.user, post_id=post_id)
    return redirect("content:curation")


@login_required
@require_POST
def start_digest(request):
    """From the selection, followed by the best posts of the threads ticked in the curation queue."""
    form = DigestForm(request.POST)
    thread_ids = [int(value) for value in request.POST.getlist("thread") if value.isascii() and value.isdigit()]
    posts = None  # the selection alone
    if thread_ids:
        services.check_curate_permission(request.user)
        threads = [forum_selectors.access_thread(request.user, pk) for pk in thread_ids]
        selected = [item.post for item in _selection(request.user)]
        chosen = {post.pk for post in selected}
        posts = selected + [
            post for thread in threads for post in selectors.best_posts(thread) if post.pk not in chosen
        ]
    if not form.is_valid():
        messages.error(request, "Give the digest a title.")
        return redirect("content:curation")
    with refusal_shown(request):
        digest = services.start_digest(manager=request.user, title=form.cleaned_data["title"], posts=posts)
        messages.success(request, "Your draft digest is ready: add commentary and publish it here.")
        return redirect(f"/cms/pages/{digest.pk}/edit/")
    return redirect("content:curation")


@login_required
def consent(request, quote_id: int):
    quote = get_object_or_404(DigestQuote.objects.select_related("page", "post"), pk=quote_id)
    if quote.author_id != request.user.pk:
        raise PermissionDenied("Only the author of the post decides whether it is quoted.")
    if request.method == "POST":
        allow = request.POST.get("answer") == "yes"
        services.consent_to_quote(member=request.user, quote_id=quote.pk, consent=allow)
        messages.success(request, "Thank you: it will be quoted with credit." if allow else "It will not be quoted.")
        return redirect("pay-it-back")
    return render(request, "content/consent.html", {"quote": quote})


@login_required
def quoting(request):
    allowed = not QuoteOptOut.objects.filter(member=request.user).exists()
    form = QuotingForm(request.POST or None, initial={"allow": allowed})
    if request.method == "POST" and form.is_valid():
        services.set_quoting(member=request.user, allow=form.cleaned_data["allow"])
        messages.success(request, "Saved.")
        return redirect("content:quoting")
    return render(request, "content/quoting.html", {"form": form, "allowed": allowed})


def search(request):
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "content/search.html", {"form": form, **selectors.site_search(request.user, query)})
