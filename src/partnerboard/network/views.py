from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerboard.accounts import pending
from partnerboard.accounts.access import get_membership
from partnerboard.accounts.models import Role
from partnerboard.errors import RuleError
from partnerboard.network import queries, services
from partnerboard.network.models import Connection
from partnerboard.partners.models import Partner
from partnerboard.partners.names import name_key


@login_required
@require_GET
def connections(request, team_slug):
    """List this team's connected partners and the teams whose partner lists link to it."""
    membership = get_membership(request, team_slug)
    team = membership.team
    context = {
        "own_partners": Partner.objects.filter(team=team, linked_team__isnull=False).select_related("linked_team").order_by("name_key"),
        # Only the other team's name is shown for these records, never the record's own fields.
        "linked_records": Partner.objects.filter(linked_team=team).exclude(team=team).select_related("team").order_by("team__name"),
        "pending": Connection.objects.filter(team=team, accepted_at__isnull=True, revoked_at__isnull=True).select_related("partner"),
        "can_manage": membership.has_role(Role.ADMIN),
        "nav": "connections",
    }
    context["pending"] = [connection for connection in context["pending"] if connection.is_pending]
    return render(request, "network/connections.html", context)


@login_required
@require_POST
def request_connection(request, team_slug, partner_id):
    membership = get_membership(request, team_slug, Role.ADMIN)
    partner = get_object_or_404(Partner, team=membership.team, public_id=partner_id)
    try:
        connection = services.request_connection(request.user, partner, request.POST.get("email", ""))
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Asked %(email)s to connect the team of %(partner)s; the email is on its way.")
            % {"email": connection.email, "partner": partner.name},
        )
    return redirect("partners:detail", team_slug, partner.public_id)


@login_required
@require_POST
def revoke_request(request, team_slug, connection_id):
    membership = get_membership(request, team_slug, Role.ADMIN)
    connection = get_object_or_404(Connection.objects.select_related("partner"), team=membership.team, public_id=connection_id)
    try:
        services.revoke_connection_request(request.user, connection)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Withdrew the connection request to %(email)s.") % {"email": connection.email})
    return redirect("partners:detail", team_slug, connection.partner.public_id)


@login_required
@require_POST
def disconnect(request, team_slug, partner_id):
    """Disconnect a partner record of this team, or a record of another team that links to this team."""
    membership = get_membership(request, team_slug, Role.ADMIN)
    team = membership.team
    partner = get_object_or_404(
        Partner.objects.select_related("team", "linked_team"),
        Q(team=team, linked_team__isnull=False) | Q(linked_team=team),
        public_id=partner_id,
    )
    try:
        services.disconnect(request.user, partner)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        other = partner.linked_team if partner.team_id == team.pk else partner.team
        messages.success(request, _("Disconnected from %(team)s.") % {"team": other.name})
    if partner.team_id == team.pk:
        return redirect("partners:detail", team_slug, partner.public_id)
    return redirect("network:connections", team_slug)


@login_required
@require_GET
def shared_detail(request, team_slug, card_id):
    membership = get_membership(request, team_slug)
    shared = queries.shared_card(membership.team, card_id)
    return render(request, "network/shared_detail.html", {"shared": shared, "nav": "projects"})


@require_http_methods(["GET", "POST"])
def accept(request, connection_id, token):
    """Show a connection request to the partner's contact and let it connect a team."""
    connection = get_object_or_404(Connection.objects.select_related("team", "partner"), public_id=connection_id)
    try:
        services.check_connection_token(connection, token)
    except services.ConnectionNotFound:
        raise Http404 from None
    context = {"connection": connection, "partner": connection.partner}
    try:
        services.check_connection_usable(connection)
        if not request.user.is_authenticated:
            pending.remember(request, pending.PENDING_CONNECTION, connection.public_id)
            if request.method == "POST":
                return redirect_to_login(request.get_full_path())
            return render(request, "network/accept.html", context)
        services.check_connection_address(connection, request.user)
        choices = [team for team in services.teams_that_can_accept(request.user) if team.pk != connection.team_id]
        if request.method == "POST":
            team = _chosen_team(request.POST.get("team", ""), choices)
            linked = services.accept_connection(request.user, connection, token, team)
            pending.forget(request, pending.PENDING_CONNECTION)
            messages.success(
                request,
                _("%(team)s is now connected with %(owner)s.") % {"team": linked.name, "owner": connection.team.name},
            )
            return redirect("projects:list", linked.slug)
        context["choices"] = choices
        # Someone who signed up from this link already has a team named after the partner.
        context["offer_new_team"] = not any(name_key(team.name) == name_key(connection.partner.name) for team in choices)
    except RuleError as error:
        context["problem"] = error.message
        return render(request, "network/accept.html", context, status=error.status)
    return render(request, "network/accept.html", context)


def _chosen_team(slug: str, choices):
    """Return the chosen team, or None for a new team named after the partner; an unknown slug is an error."""
    if slug == "":
        return None
    for team in choices:
        if team.slug == slug:
            return team
    raise services.NoSuchTeamChoice(_("Choose one of your teams where you are owner or admin, or a new team."))
