"""The tenant-scoped lookup every team page starts with."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Membership, Role
from partnerboard.errors import RoleRequired


def get_membership(request, team_slug: str, role: str = Role.VIEWER) -> Membership:
    """Return the signed-in user's membership of the team named in the URL.

    A team the user does not belong to is a 404, so its existence is not
    revealed; a role below `role` is a 403.
    """
    if not request.user.is_authenticated:
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("team"), team__slug=team_slug, user=request.user
    )
    # Set before the role check, so a 403 page still shows the team's navigation.
    request.membership = membership
    if not membership.has_role(role):
        raise RoleRequired(
            _("Your role in %(team)s is %(role)s, which does not allow this action.")
            % {"team": membership.team.name, "role": membership.get_role_display().lower()}
        )
    return membership
