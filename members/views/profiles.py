"""Profile pages: the directory, a member's profile, editing one's own, changing a member's role, and
the skill taxonomy's review. Thin over members.services.profiles and members.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown

from .. import selectors, services
from ..errors import MemberError
from ..forms import (
    ConnectForm,
    DirectoryForm,
    IntroduceForm,
    ProfileForm,
    RecommendForm,
    RoleForm,
    SkillMergeForm,
    SkillRenameForm,
)
from ..models import Skill

DIRECTORY_PAGE_SIZE = 24


@login_required
def directory(request):
    form = DirectoryForm(request.GET or None)
    filters = selectors.DirectoryFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.DirectoryFilters(
            query=form.cleaned_data["q"],
            skill=form.cleaned_data["skill"],
            skill_id=form.skill_ids.get(form.cleaned_data["skill"]),
            organisation=form.cleaned_data["organisation"],
            location=form.cleaned_data["location"],
            role=form.cleaned_data["role"],
            sort=form.cleaned_data["sort"] or ("relevance" if form.cleaned_data["q"] else "name"),
        )
    page = selectors.directory_page(filters, request.GET.get("page"), DIRECTORY_PAGE_SIZE)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page": page,
            "members": page.object_list,
            "filtered": any(getattr(filters, name) for name in ("query", "skill", "organisation", "location", "role")),
            "narrowed": sum(bool(getattr(filters, name)) for name in ("skill", "organisation", "location", "role")),
            "query_string": query_string.urlencode(),
            "choices": selectors.directory_choices(),
        },
    )


@login_required
def profile(request, handle: str):
    return profile_page(request, selectors.profile(handle))


def profile_page(request, member, *, connect_form=None, recommend_form=None, introduce_form=None, status=200):
    """The profile, also re-rendered with the errors of its connect or recommend form."""
    viewer = request.user
    is_me = member.pk == viewer.pk
    can_change_role = selectors.can_change_roles(viewer) and not is_me
    role = selectors.role_of(member)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "role": role,
            "role_form": RoleForm(initial={"role": role.value}) if can_change_role else None,
            "is_me": is_me,
            "skill_rows": selectors.skill_endorsements(member, viewer=viewer),
            "recommendations": selectors.approved_recommendations(member),
            "connection": None if is_me else selectors.connection_between(viewer, member),
            "follows": selectors.follow_figures(member, viewer=viewer),
            "recommendation_counts": (
                selectors.recommendation_counts(member) if selectors.can_view_activity(viewer) else None
            ),
            "connect_form": connect_form or ConnectForm(),
            "recommend_form": recommend_form or RecommendForm(),
            "introduce_form": introduce_form or IntroduceForm(),
        },
        status=status,
    )


@login_required
def edit_profile(request):
    member = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            with transaction.atomic():
                skills = list(data["skills"])
                if data["new_skill"]:
                    skills.append(services.propose_skill(member=member, name=data["new_skill"]))
                services.edit_profile(
                    member=member,
                    fields={field: data[field] for field in services.PROFILE_FIELDS},
                    skills=skills,
                    interests=data["interests"],
                    avatar=data["avatar_upload"],
                    remove_avatar_file=data["remove_avatar"],
                )
            messages.success(request, "Your profile is saved.")
            return redirect(member)
        member.refresh_from_db()  # validation set the refused values on the member
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "members/edit_profile.html", {"form": form}, status=status)


@login_required
@require_POST
def change_role(request, handle: str):
    member = selectors.profile(handle)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles listed.")
        return redirect(member)
    services.set_role(actor=request.user, member=member, role=form.cleaned_data["role"])
    messages.success(request, f"{member.name} is now {selectors.role_of(member).label}.")
    return redirect(member)


@login_required
def skill_review(request):
    selectors.check_manage_skills_permission(request.user)
    proposed = Skill.objects.filter(status=Skill.Status.PROPOSED).select_related("proposed_by")
    targets = list(selectors.approved_skills().only("slug", "name"))
    return render(request, "members/skill_review.html", {"proposed": proposed, "targets": targets})


@login_required
@require_POST
def skill_action(request, slug: str, action: str):
    skill = get_object_or_404(Skill, slug=slug)
    with refusal_shown(request):
        if action == "approve":
            services.approve_skill(actor=request.user, skill=skill)
            messages.success(request, f"“{skill.name}” is now in the taxonomy.")
        elif action == "rename":
            form = SkillRenameForm(request.POST)
            if not form.is_valid():
                raise MemberError("Give the skill a name of at most 60 characters.")
            services.rename_skill(actor=request.user, skill=skill, name=form.cleaned_data["name"])
            messages.success(request, f"Renamed to “{skill.name}”.")
        else:  # merge; urls.py allows only these three actions
            form = SkillMergeForm(request.POST, source=skill)
            if not form.is_valid():
                raise MemberError("Choose an approved skill to merge into.")
            target = services.merge_skills(actor=request.user, source=skill, target=form.cleaned_data["target"])
            messages.success(request, f"Merged into “{target.name}”.")
    return redirect("members:skill-review")
