from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .validators import handle_validators


class Member(AbstractUser):
    """A person in the community. `username` is the member's handle, the address of their profile."""

    username = models.CharField(
        "handle",
        max_length=30,
        unique=True,
        validators=handle_validators,
        help_text="Lower-case letters, digits, - and _. Your profile lives at /members/<handle>/.",
        error_messages={"unique": "A member with that handle already exists."},
    )
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    headline = models.CharField(max_length=140, blank=True, help_text="One line about what you do.")
    organisation = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    website = models.URLField(max_length=200, blank=True)
    linkedin_url = models.URLField("LinkedIn", max_length=200, blank=True)
    github_url = models.URLField("GitHub", max_length=200, blank=True)
    mastodon_url = models.URLField("Mastodon", max_length=200, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    skills = models.ManyToManyField("Skill", through="MemberSkill", related_name="members", blank=True)
    interests = models.ManyToManyField("Interest", related_name="members", blank=True)
    # Full-text document on PostgreSQL, kept by services.refresh_search_document; unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["display_name", "username"]
        indexes = [
            models.Index(Lower("display_name"), "username", name="member_name_idx"),
            models.Index(fields=["-date_joined"], name="member_newest_idx"),
            models.Index(fields=["organisation"], name="member_organisation_idx"),
            models.Index(fields=["location"], name="member_location_idx"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
        ]
        permissions = [
            ("change_member_role", "Can change a member's role"),
            ("manage_skills", "Can approve, rename and merge skills"),
            ("moderate_community", "Can moderate the community"),
            ("view_member_activity", "Can see members' private activity"),
            ("view_reports", "Can read the business-value reports"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.name.split()[:2]).upper() or "?"

    def get_absolute_url(self) -> str:
        return reverse("members:profile", kwargs={"handle": self.username})

    @property
    def links(self) -> list[tuple[str, str]]:
        labelled = [
            ("Website", self.website),
            ("LinkedIn", self.linkedin_url),
            ("GitHub", self.github_url),
            ("Mastodon", self.mastodon_url),
        ]
        return [(label, url) for label, url in labelled if url]


class Skill(models.Model):
    """An entry in the shared skill taxonomy. Members propose skills; managers approve, rename, merge."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PROPOSED = "proposed", "Proposed"

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=70, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    proposed_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="skill_name_ci_unique"),
            models.CheckConstraint(condition=models.Q(status__in=["approved", "proposed"]), name="skill_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberSkill(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="member_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="member_skills")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["member", "skill"], name="member_skill_unique")]
        indexes = [models.Index(fields=["skill", "member"], name="memberskill_skill_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.skill}"


class Interest(models.Model):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="interest_name_ci_unique")]

    def __str__(self) -> str:
        return self.name
