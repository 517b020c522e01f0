"""Writes to the partner network: request a connection, accept it, revoke the request, disconnect.

A connection links a partner record of one team to the partner company's own
team (Partner.linked_team). The linked team then sees the shared projects
that carry a card for that partner record (see queries.py).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerboard.accounts import tokens
from partnerboard.accounts.models import Membership, Role, Team, User
from partnerboard.accounts.services import create_team, require_role
from partnerboard.errors import ConflictError, RoleRequired, RuleError
from partnerboard.network.models import Connection
from partnerboard.network.tasks import send_connection_email
from partnerboard.partners.models import Partner

logger = logging.getLogger(__name__)

CONNECTION_LIFETIME = datetime.timedelta(days=7)


class NotAContact(RuleError):
    pass


class AlreadyConnected(ConflictError):
    pass


class ConnectionLimitReached(RuleError):
    status = 429


class ConnectionNotFound(RuleError):
    """The link's token does not match: a mistyped or forged link."""

    status = 404


class ConnectionUnusable(RuleError):
    """The request was accepted already, revoked, or has expired."""

    status = 410


class ConnectionForAnotherAddress(RuleError):
    status = 403


class ConnectToOwnTeam(RuleError):
    pass


class NotConnected(ConflictError):
    pass


class NoSuchTeamChoice(RuleError):
    pass


def _check_limits(team: Team, email: str) -> None:
    now = timezone.now()
    sent_by_team = Connection.objects.filter(team=team, created_at__gte=now - datetime.timedelta(hours=1)).count()
    if sent_by_team >= settings.INVITATIONS_PER_TEAM_PER_HOUR:
        raise ConnectionLimitReached(
            _("%(team)s has sent %(count)d connection requests in the last hour, the maximum; try again in an hour.")
            % {"team": team.name, "count": sent_by_team}
        )
    sent_to_address = Connection.objects.filter(
        email__iexact=email, created_at__gte=now - datetime.timedelta(days=1)
    ).count()
    if sent_to_address >= settings.INVITATIONS_PER_ADDRESS_PER_DAY:
        raise ConnectionLimitReached(
            _("%(email)s has received %(count)d connection requests in the last 24 hours, the maximum; try again tomorrow.")
            % {"email": email, "count": sent_to_address}
        )


def request_connection(actor: User, partner: Partner, email: str) -> Connection:
    """Email one of the partner's contacts a link that connects the partner company's team.

    An earlier pending request for the same partner is revoked, so only the
    newest link works.
    """
    team = partner.team
    require_role(actor, team, Role.ADMIN)
    email = (email or "").strip()
    contact = partner.contacts.filter(email__iexact=email).first()
    if contact is None:
        raise NotAContact(
            _("%(email)s is not a contact of %(partner)s; add it to the partner's contacts first.")
            % {"email": email or _("(no address)"), "partner": partner.name}
        )
    with transaction.atomic():
        # Locking the team row serialises its requests, so concurrent requests cannot both pass the rate limit.
        Team.objects.select_for_update().get(pk=team.pk)
        partner = Partner.objects.select_for_update(of=("self",)).select_related("linked_team").get(pk=partner.pk)
        if partner.linked_team_id is not None:
            raise AlreadyConnected(
                _("%(partner)s is already connected to the team %(linked)s; disconnect it first to connect another team.")
                % {"partner": partner.name, "linked": partner.linked_team.name}
            )
        _check_limits(team, contact.email)
        now = timezone.now()
        Connection.objects.filter(partner=partner, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        token, token_hash = tokens.new_token()
        connection = Connection.objects.create(
            team=team,
            partner=partner,
            email=contact.email,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=now + CONNECTION_LIFETIME,
        )
        send_connection_email.enqueue(connection.pk, tokens.seal(token, token_hash))
    logger.info("User %s requested connection %s for partner %s", actor.pk, connection.public_id, partner.public_id)
    return connection


@transaction.atomic
def revoke_connection_request(actor: User, connection: Connection) -> Connection:
    require_role(actor, connection.team, Role.ADMIN)
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if connection.accepted_at is not None:
        raise ConnectionUnusable(
            _("The request to %(email)s was already accepted; disconnect the partner instead.") % {"email": connection.email}
        )
    if connection.revoked_at is None:
        connection.revoked_at = timezone.now()
        connection.save(update_fields=["revoked_at"])
        logger.info("User %s revoked connection request %s", actor.pk, connection.public_id)
    return connection


def check_connection_token(connection: Connection, token: str) -> None:
    if not tokens.token_matches(token, connection.token_hash):
        raise ConnectionNotFound(_("This connection link is not valid; check that you copied all of it."))


def check_connection_usable(connection: Connection) -> None:
    owner_name = connection.team.name
    if connection.revoked_at is not None:
        raise ConnectionUnusable(
            _("%(team)s withdrew this connection request; ask them for a new one.") % {"team": owner_name}
        )
    if connection.accepted_at is not None:
        raise ConnectionUnusable(
            _("This connection request from %(team)s has already been used; each link works once.") % {"team": owner_name}
        )
    if connection.expires_at <= timezone.now():
        raise ConnectionUnusable(
            _("This connection request from %(team)s expired on %(date)s; ask them for a new one.")
            % {"team": owner_name, "date": connection.expires_at.date().isoformat()}
        )


def check_connection_address(connection: Connection, user: User) -> None:
    if user.email.casefold() != connection.email.casefold():
        raise ConnectionForAnotherAddress(
            _("This connection request was sent to %(invited)s, but you are signed in as %(email)s; sign in with that address.")
            % {"invited": connection.email, "email": user.email}
        )


def teams_that_can_accept(user: User) -> list[Team]:
    """Return the user's teams in which it may accept a connection: those where it is owner or admin."""
    memberships = Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.ADMIN]).select_related("team")
    return [membership.team for membership in memberships.order_by("team__name")]


def accept_connection(user: User, connection: Connection, token: str, team: Team | None) -> Team:
    """Link the connection's partner record to `team`, or to a new team named after the partner when None.

    A new team gets the partner record's kind, and the user becomes its owner.
    """
    with transaction.atomic():
        connection = Connection.objects.select_for_update(of=("self",)).select_related("team", "partner").get(pk=connection.pk)
        check_connection_token(connection, token)
        check_connection_usable(connection)
        check_connection_address(connection, user)
        partner = Partner.objects.select_for_update().get(pk=connection.partner_id)
        if team is None:
            team = create_team(partner.name, partner.kind, user)
        else:
            require_role(user, team, Role.ADMIN)
        if team.pk == connection.team_id:
            raise ConnectToOwnTeam(
                _("%(team)s cannot connect to its own partner record; choose the partner company's team.")
                % {"team": team.name}
            )
        if partner.linked_team_id is not None:
            raise AlreadyConnected(
                _("%(partner)s in the partner list of %(owner)s is already connected to another team.")
                % {"partner": partner.name, "owner": connection.team.name}
            )
        partner.linked_team = team
        partner.save(update_fields=["linked_team"])
        connection.accepted_at = timezone.now()
        connection.accepted_by = user
        connection.linked_team = team
        connection.save(update_fields=["accepted_at", "accepted_by", "linked_team"])
    logger.info(
        "User %s accepted connection %s: partner %s linked to team %s",
        user.pk,
        connection.public_id,
        partner.public_id,
        team.pk,
    )
    return team


@transaction.atomic
def disconnect(actor: User, partner: Partner) -> None:
    """Unlink a partner record from its linked team; an admin of either team may do it.

    The linked team loses its view of the shared projects with this transaction.
    """
    partner = Partner.objects.select_for_update(of=("self",)).select_related("team", "linked_team").get(pk=partner.pk)
    linked_team = partner.linked_team
    if linked_team is None:
        raise NotConnected(_("%(partner)s is not connected to any team.") % {"partner": partner.name})
    try:
        require_role(actor, partner.team, Role.ADMIN)
    except RoleRequired:
        try:
            require_role(actor, linked_team, Role.ADMIN)
        except RoleRequired:
            raise RoleRequired(
                _("Only an owner or admin of %(team)s or of %(linked)s can disconnect them.")
                % {"team": partner.team.name, "linked": linked_team.name}
            ) from None
    partner.linked_team = None
    partner.save(update_fields=["linked_team"])
    Connection.objects.filter(partner=partner, linked_team=linked_team, disconnected_at__isnull=True).update(
        disconnected_at=timezone.now(), disconnected_by=actor
    )
    logger.info("User %s disconnected partner %s from team %s", actor.pk, partner.public_id, linked_team.pk)
