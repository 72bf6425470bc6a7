"""Pages for a member's data and for leaving: the account page (download my data, deactivate,
delete), the signed download, coming back after a deactivation, and the administrators' export of
the whole community. Thin over members.services.leaving and members.exports."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown

from .. import exports, services
from ..forms import DeleteAccountForm, PasswordConfirmForm
from ..models import DataExport, Member
from ..services.leaving import check_export_community_permission

COME_BACK_KEY = "members.come_back"
COME_BACK_SALT = "members.come-back"
COME_BACK_MAX_AGE = 15 * 60  # the password was typed on the sign-in page a moment ago


def _latest_export(member: Member, scope: str) -> dict | None:
    export = DataExport.objects.filter(requested_by=member, scope=scope).first()
    if export is None:
        return None
    ready = export.status == DataExport.Status.READY
    return {
        "export": export,
        "link": exports.download_path(export) if ready else None,
        "expires_at": exports.link_expires_at(export) if ready else None,
    }


@login_required
def account(request, *, deactivate_form=None, delete_form=None, status=200):
    member = request.user
    return render(
        request,
        "members/account.html",
        {
            "latest": _latest_export(member, DataExport.Scope.MEMBER),
            "deactivate_form": deactivate_form or PasswordConfirmForm(prefix="deactivate"),
            "delete_form": delete_form or DeleteAccountForm(prefix="delete", member=member),
        },
        status=status,
    )


@login_required
@require_POST
def request_my_data(request):
    with refusal_shown(request) as refusal:
        services.request_data_export(member=request.user)
    if not refusal:
        messages.success(request, "We are preparing your archive. We will e-mail you a link when it is ready.")
    return redirect("members:account")


@login_required
def download_export(request, token: str):
    """The archive, to the member who asked for it (an administrator's community export, to that
    administrator while they still are one), while the signed link lives. Never cached."""
    export_id = exports.export_from_token(token)
    export = DataExport.objects.filter(pk=export_id, status=DataExport.Status.READY).first() if export_id else None
    if export is None or export.requested_by_id != request.user.pk:
        raise Http404("This link has expired or is not yours. Ask for a new archive on your account page.")
    if export.scope == DataExport.Scope.COMMUNITY:
        check_export_community_permission(request.user)
    try:
        file = default_storage.open(export.file_name, "rb")
    except FileNotFoundError:
        raise Http404("This archive is no longer kept. Ask for a new one.") from None
    response = FileResponse(file, as_attachment=True, filename=export.file_name.rsplit("/", 1)[-1])
    response["Content-Type"] = "application/zip"
    add_never_cache_headers(response)  # private: no shared cache may keep it
    response["Cache-Control"] += ", private"
    return response


@login_required
@require_POST
def deactivate(request):
    form = PasswordConfirmForm(request.POST, prefix="deactivate")
    if form.is_valid():
        with refusal_on(form, field="password") as refusal:
            services.deactivate_member(actor=request.user, member=request.user, password=form.cleaned_data["password"])
        if not refusal:
            logout(request)
            messages.success(
                request,
                "Your account is deactivated: your profile is hidden and you are signed out. "
                "Sign in again whenever you want to come back.",
            )
            return redirect("home")
    return account(request, deactivate_form=form, status=400)


@login_required
@require_POST
def delete(request):
    form = DeleteAccountForm(request.POST, prefix="delete", member=request.user)
    if form.is_valid():
        with refusal_on(form, field="password") as refusal:
            services.delete_member(actor=request.user, member=request.user, password=form.cleaned_data["password"])
        if not refusal:
            logout(request)
            messages.success(request, "Your account is deleted. What you wrote stays, under “Former member”. Goodbye.")
            return redirect("home")
    return account(request, delete_form=form, status=400)


def offer_to_come_back(request, member: Member):
    """Called by the sign-in door (members.adapters) when the right password opens a deactivated
    account: remember who, briefly, and ask whether they want to come back."""
    request.session[COME_BACK_KEY] = signing.dumps(member.pk, salt=COME_BACK_SALT)
    return redirect("members:come-back")


def come_back(request):
    token = request.session.get(COME_BACK_KEY)
    try:
        member_id = signing.loads(token, salt=COME_BACK_SALT, max_age=COME_BACK_MAX_AGE) if token else None
    except signing.BadSignature:
        member_id = None
    member = Member.objects.filter(pk=member_id).first() if member_id else None
    if member is None or not services.is_self_deactivated(member):
        request.session.pop(COME_BACK_KEY, None)
        messages.info(request, "Sign in with your e-mail address and password to reactivate your account.")
        return redirect("account_login")
    if request.method == "POST":
        services.reactivate_member(member=member)
        request.session.pop(COME_BACK_KEY, None)
        messages.success(request, "Welcome back: your account is active again. Sign in to continue.")
        return redirect("account_login")
    return render(request, "members/come_back.html", {"member": member})


def former_member(request):
    """Where a former member's name links: they left, and have no profile any more."""
    return render(request, "members/former_member.html")


@login_required
def community_export(request):
    """Administrators export every table of the community (CSV in a zip), built in the background."""
    check_export_community_permission(request.user)
    if request.method == "POST":
        with refusal_shown(request) as refusal:
            services.request_data_export(member=request.user, scope=DataExport.Scope.COMMUNITY)
        if not refusal:
            messages.success(request, "The export is being prepared. We will e-mail you a link when it is ready.")
        return redirect("members:community-export")
    from community.export import NOT_EXPORTED, exported_models

    return render(
        request,
        "members/community_export.html",
        {
            "latest": _latest_export(request.user, DataExport.Scope.COMMUNITY),
            "tables": [model._meta.label for model in exported_models()],
            "not_exported": NOT_EXPORTED,
        },
    )
