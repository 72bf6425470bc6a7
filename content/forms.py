from django import forms

from forums.forms import BODY_HELP


class GuestPostForm(forms.Form):
    title = forms.CharField(max_length=120)
    summary = forms.CharField(max_length=300, required=False, help_text="One or two sentences for the listing.")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), max_length=20000, help_text=BODY_HELP)
    bio = forms.CharField(
        label="About you", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text="Shown with your post: who you are and what you work on.",
    )  # fmt: skip
    website = forms.URLField(required=False, assume_scheme="https")
    linkedin = forms.URLField(label="LinkedIn", required=False, assume_scheme="https")


class DigestForm(forms.Form):
    title = forms.CharField(max_length=120)


class QuotingForm(forms.Form):
    allow = forms.BooleanField(label="Managers may quote my posts in insight digests (with credit)", required=False)


class SiteSearchForm(forms.Form):
    q = forms.CharField(label="Search Mutua", max_length=200, required=False)
