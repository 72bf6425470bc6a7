"""Forms validate what a person typed; forums.services decides whether it is allowed."""

from django import forms

from .models import Group, Thread, TrustLevel
from .services.posting import BODY_MAX, TITLE_MAX

BODY_HELP = (
    "Markdown: **bold**, _italic_, `code`, > quote, - lists, [links](https://…). "
    "Type @ and a few letters of a name to mention a member."
)


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "description", "kind", "visibility", "policy", "contributions_before_promotion"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"contributions_before_promotion": "Replies to others' threads before a promotion is accepted"}
        help_texts = {
            "contributions_before_promotion": "Rule 6: newcomers take part before they promote. The default is 3."
        }

    def validate_unique(self):
        pass  # the service reports a duplicate name in words


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    kind = forms.ChoiceField(
        choices=[
            (Thread.Kind.DISCUSSION, "Discussion: talk something through with the group"),
            (Thread.Kind.QUESTION, "Question: ask for help; you can accept the answer that solved it"),
            (Thread.Kind.PROMOTION, "Promotion: your own product, event or content, labelled as such"),
        ],
        initial=Thread.Kind.DISCUSSION,
        widget=forms.RadioSelect,
        help_text="Promotions count toward your own-promotion share; aim for about one in five of your posts.",
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=BODY_MAX, help_text=BODY_HELP)
    poll_question = forms.CharField(label="Poll question (optional)", max_length=200, required=False)
    poll_options = forms.CharField(
        label="Options, one per line", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=1500
    )
    poll_multiple = forms.BooleanField(label="Voters may choose more than one option", required=False)
    poll_closes_at = forms.DateTimeField(
        label="Poll closes (optional)", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 5}), max_length=BODY_MAX, help_text=BODY_HELP
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), max_length=BODY_MAX, help_text=BODY_HELP)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SuspendForm(ReasonForm):
    days = forms.IntegerField(min_value=0, max_value=365, initial=7, help_text="0 lifts a suspension.")


class TrustForm(ReasonForm):
    level = forms.TypedChoiceField(choices=TrustLevel.choices, coerce=int)


class InviteForm(forms.Form):
    handle = forms.CharField(label="Member's handle", max_length=150)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the forums", max_length=200, required=False)
