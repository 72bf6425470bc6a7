"""Wagtail's (admin and front-end) and the Django admin's own sign-in pages hand over to allauth's, so that every sign-in
meets the same rules (verified e-mail, lockout, rate limits)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse


def to_sign_in(request, *args, **kwargs):
    """/cms/login/, /_util/login/ and /admin/login/: allauth's sign-in page, which checks `next` itself."""
    url = reverse("account_login")
    if next_url := request.GET.get("next"):
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)


def to_password_reset(request, *args, **kwargs):
    """/cms/password_reset/…: allauth's, which is rate limited and knows the verified addresses."""
    return redirect("account_reset_password")
