from django import forms

from community.roles import ROLE_CHOICES

from .models import MailFrequency, MailKind, Member, Skill
from .selectors import approved_skills, skills_for
from .services import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    """Validates a member's own profile; `services.edit_profile` writes it."""

    avatar_upload = forms.FileField(
        label="Avatar", required=False, help_text="JPEG, PNG, WebP or GIF, up to 2 MB. We crop it to a square."
    )
    remove_avatar = forms.BooleanField(label="Remove my avatar", required=False)
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    interests = forms.CharField(
        required=False, max_length=1300, help_text="Separate interests with commas, e.g. open source, mentoring."
    )
    new_skill = forms.CharField(
        label="Missing a skill? Propose it",
        required=False,
        max_length=60,
        help_text="A community manager reviews new skills; you can list it on your profile meanwhile.",
    )

    class Meta:
        model = Member
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"bio": "Up to 2,000 characters. Who you are, what you can help with, what you want to learn."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = skills_for(self.instance)
        if not self.is_bound:
            self.initial["skills"] = [skill.pk for skill in self.instance.skills.all()]
            self.initial["interests"] = ", ".join(interest.name for interest in self.instance.interests.all())

    def clean_interests(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["interests"].split(",") if name.strip()]


class DirectoryForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    skill = forms.ChoiceField(required=False)
    organisation = forms.CharField(required=False, max_length=120)
    location = forms.CharField(required=False, max_length=120)
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *ROLE_CHOICES])
    sort = forms.ChoiceField(
        required=False, choices=[("name", "Name"), ("newest", "Newest"), ("relevance", "Best match")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        skills = list(approved_skills().values_list("slug", "name", "pk"))
        self.fields["skill"].choices = [("", "Any skill"), *((slug, name) for slug, name, _ in skills)]
        self.skill_ids = {slug: pk for slug, _, pk in skills}  # lets the directory filter on the id


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class SkillRenameForm(forms.Form):
    name = forms.CharField(max_length=60)


class SkillMergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Skill.objects.none(), to_field_name="slug", label="Merge into")

    def __init__(self, *args, source: Skill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = approved_skills().exclude(pk=source.pk)


class ThankForm(forms.Form):
    message = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    send_anyway = forms.BooleanField(required=False)


class EndorseForm(forms.Form):
    skill = forms.SlugField()


class ConnectForm(forms.Form):
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why do you want to connect? A personal note, not the standard text.",
    )
    send_anyway = forms.BooleanField(required=False)


class RecommendForm(forms.Form):
    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What did they do, and why did it matter? It shows on their profile once they approve it.",
    )


class IntroduceForm(forms.Form):
    other = forms.CharField(
        label="Introduce them to", max_length=30, help_text="The other member's handle, e.g. maya-lindqvist."
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why should they meet? What can each offer the other?",
    )
    send_anyway = forms.BooleanField(required=False)


class PasswordConfirmForm(forms.Form):
    """Leaving is confirmed with the password, whoever holds the session."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class DeleteAccountForm(PasswordConfirmForm):
    handle = forms.CharField(label="Your handle, to confirm", max_length=30, help_text="Type it as it is: @ not needed.")

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_handle(self) -> str:
        handle = self.cleaned_data["handle"].strip().lstrip("@").lower()
        if handle != self.member.username:
            raise forms.ValidationError(f"Type your handle, {self.member.username}, to confirm.")
        return handle
class MailPreferencesForm(forms.Form):
    """One choice per kind of e-mail (members.mailing)."""

    def __init__(self, *args, member: Member, **kwargs):
        from .mailing import PREFERENCE_FIELDS

        super().__init__(*args, **kwargs)
        for kind, field_name in PREFERENCE_FIELDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=MailKind(kind).label,
                choices=MailFrequency.choices,
                initial=getattr(member, field_name),
            )
