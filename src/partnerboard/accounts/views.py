from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts import pending, services
from partnerboard.accounts.access import get_membership
from partnerboard.accounts.forms import DeleteTeamForm, InviteForm, RoleForm
from partnerboard.accounts.models import Invitation, Membership, Role
from partnerboard.errors import RuleError


def home(request):
    """Send a signed-in user to the projects of their first team, others to sign in."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    membership = Membership.objects.filter(user=request.user).select_related("team").order_by("created_at").first()
    if membership is None:
        return render(request, "accounts/no_team.html")
    return redirect("projects:list", team_slug=membership.team.slug)


@login_required
def teams(request):
    return render(request, "accounts/teams.html")


def _members_context(membership, invite_form=None):
    team = membership.team
    members = Membership.objects.filter(team=team).select_related("user").order_by("user__email")
    invitations = Invitation.objects.filter(
        team=team, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")
    return {
        "members": members,
        "invitations": [invitation for invitation in invitations if invitation.is_pending],
        "invite_form": invite_form or InviteForm(),
        "roles": Role.choices,
        "can_manage": membership.has_role(Role.ADMIN),
        "is_owner": membership.has_role(Role.OWNER),
        "nav": "members",
    }


@login_required
@require_GET
def members(request, team_slug):
    membership = get_membership(request, team_slug)
    return render(request, "accounts/members.html", _members_context(membership))


@login_required
@require_POST
def invite(request, team_slug):
    membership = get_membership(request, team_slug, Role.ADMIN)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                request.user, membership.team, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except RuleError as error:
            form.add_error(None, error.message)
            return render(request, "accounts/members.html", _members_context(membership, form), status=error.status)
        messages.success(request, _("Invited %(email)s; the email is on its way.") % {"email": invitation.email})
        return redirect("members", team_slug)
    return render(request, "accounts/members.html", _members_context(membership, form), status=400)


@login_required
@require_POST
def revoke_invitation(request, team_slug, invitation_id):
    membership = get_membership(request, team_slug, Role.ADMIN)
    invitation = get_object_or_404(Invitation, team=membership.team, public_id=invitation_id)
    try:
        services.revoke_invitation(request.user, invitation)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Revoked the invitation of %(email)s.") % {"email": invitation.email})
    return redirect("members", team_slug)


def _target(request, team_slug, member_id, role):
    membership = get_membership(request, team_slug, role)
    target = get_object_or_404(Membership.objects.select_related("user", "team"), team=membership.team, public_id=member_id)
    return membership, target


@login_required
@require_POST
def change_role(request, team_slug, member_id):
    membership, target = _target(request, team_slug, member_id, Role.ADMIN)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles: owner, admin, member or viewer."))
        return redirect("members", team_slug)
    try:
        target = services.change_role(request.user, target, form.cleaned_data["role"])
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(email)s is now %(role)s.") % {"email": target.user.email, "role": target.get_role_display()}
        )
    return redirect("members", team_slug)


@login_required
@require_POST
def remove_member(request, team_slug, member_id):
    # Any member may remove itself (leave); removing others needs admin, checked by the service.
    membership, target = _target(request, team_slug, member_id, Role.VIEWER)
    if target.pk != membership.pk:
        get_membership(request, team_slug, Role.ADMIN)
    try:
        services.remove_member(request.user, target)
    except RuleError as error:
        messages.error(request, error.message)
        return redirect("members", team_slug)
    if target.pk == membership.pk:
        messages.success(request, _("You left %(team)s.") % {"team": membership.team.name})
        return redirect("home")
    messages.success(request, _("Removed %(email)s from %(team)s.") % {"email": target.user.email, "team": membership.team.name})
    return redirect("members", team_slug)


@login_required
@require_POST
def transfer_ownership(request, team_slug, member_id):
    membership, target = _target(request, team_slug, member_id, Role.OWNER)
    try:
        services.transfer_ownership(request.user, target)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(email)s now owns %(team)s; you are an admin.") % {"email": target.user.email, "team": membership.team.name}
        )
    return redirect("members", team_slug)


@login_required
@require_http_methods(["GET", "POST"])
def delete_team(request, team_slug):
    membership = get_membership(request, team_slug, Role.OWNER)
    form = DeleteTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_team(request.user, membership.team, form.cleaned_data["confirm_name"])
        except RuleError as error:
            form.add_error("confirm_name", error.message)
        else:
            messages.success(request, _("Deleted %(team)s.") % {"team": membership.team.name})
            return redirect("home")
    return render(request, "accounts/delete_team.html", {"form": form, "nav": "members"})


@require_http_methods(["GET", "POST"])
def accept_invitation(request, invitation_id, token):
    """Show an invitation to its invitee and let it join; the link works once."""
    invitation = get_object_or_404(Invitation.objects.select_related("team", "invited_by"), public_id=invitation_id)
    try:
        services.check_invitation_token(invitation, token)
    except services.InvitationNotFound:
        raise Http404 from None
    context = {"invitation": invitation}
    try:
        services.check_invitation_usable(invitation)
        if not request.user.is_authenticated:
            pending.remember(request, pending.PENDING_INVITATION, invitation.public_id)
            if request.method == "POST":
                return redirect_to_login(request.get_full_path())
            return render(request, "accounts/invitation.html", context)
        if request.method == "POST":
            membership = services.accept_invitation(request.user, invitation, token)
            pending.forget(request, pending.PENDING_INVITATION)
            messages.success(
                request,
                _("Welcome to %(team)s. You joined as %(role)s.")
                % {"team": membership.team.name, "role": membership.get_role_display()},
            )
            return redirect("projects:list", membership.team.slug)
        services.check_invitation_address(invitation, request.user)
    except RuleError as error:
        context["problem"] = error.message
        return render(request, "accounts/invitation.html", context, status=error.status)
    return render(request, "accounts/invitation.html", context)
