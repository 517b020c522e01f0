"""Writes to teams and their members: create a team, invite, change roles, remove, delete.

Each function takes the acting user, checks its role with require_role(),
owns its transaction and queues its emails as tasks in that transaction.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerboard.accounts import tokens
from partnerboard.accounts.models import Invitation, Kind, Membership, Role, Team, User
from partnerboard.accounts.tasks import send_invitation_email
from partnerboard.errors import ConflictError, RoleRequired, RuleError
from partnerboard.notifications.models import Notification, Status
from partnerboard.projects.models import Card

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = datetime.timedelta(days=7)


class InvalidTeam(RuleError):
    pass


class InvalidInvitation(RuleError):
    """The address or role typed into the invitation form is not valid."""


class InvitationLimitReached(RuleError):
    """Too many invitations from one team in an hour, or to one address in a day."""

    status = 429


class AlreadyMember(ConflictError):
    pass


class InvitationNotFound(RuleError):
    """The link's token does not match: a mistyped or forged link."""

    status = 404


class InvitationUnusable(RuleError):
    """The invitation was already accepted, was revoked, or has expired."""

    status = 410


class InvitationForAnotherAddress(RuleError):
    status = 403


class LastOwner(ConflictError):
    """A team always keeps at least one owner."""


class TeamNameMismatch(RuleError):
    pass


def require_role(user: User, team: Team, role: str) -> Membership:
    """Return the user's membership of the team, or raise RoleRequired if its role is below `role`.

    Services call this first, so the web pages, the API and the CLI share one
    permission check.
    """
    membership = Membership.objects.filter(team=team, user=user).first() if user and user.pk else None
    if membership is None or not membership.has_role(role):
        raise RoleRequired(
            _("Your role in %(team)s does not allow this; it needs the %(role)s role or higher.")
            % {"team": team.name, "role": Role(role).label.lower()}
        )
    return membership


def unique_team_slug(name: str) -> str:
    base = slugify(name)[:50] or "team"
    slug = base
    suffix = 2
    while Team.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def create_team(name: str, kind: str, owner: User) -> Team:
    """Create a team with `owner` as its first owner."""
    name = (name or "").strip()
    if not name:
        raise InvalidTeam(_("A team needs a name."))
    if kind not in Kind.values:
        raise InvalidTeam(
            _("Team kind %(kind)r is not valid; use one of: %(choices)s.")
            % {"kind": kind, "choices": ", ".join(Kind.values)}
        )
    team = Team.objects.create(name=name, kind=kind, slug=unique_team_slug(name))
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    logger.info("Created team %s (id %s) with owner user %s", team.slug, team.pk, owner.pk)
    return team


def _require_owner_for(actor_membership: Membership, team: Team, *roles: str) -> None:
    """Only an owner may grant the owner role or change or remove an owner."""
    if Role.OWNER in roles and not actor_membership.has_role(Role.OWNER):
        raise RoleRequired(
            _("Only an owner of %(team)s can give the owner role or change or remove an owner.") % {"team": team.name}
        )


def check_invitation_limits(team: Team, email: str) -> None:
    """Raise InvitationLimitReached when the team or the address has had too many invitations lately.

    The per-address limit counts invitations from every team, so one address
    cannot be flooded by creating teams.
    """
    now = timezone.now()
    per_team = settings.INVITATIONS_PER_TEAM_PER_HOUR
    sent_by_team = Invitation.objects.filter(team=team, created_at__gte=now - datetime.timedelta(hours=1)).count()
    if sent_by_team >= per_team:
        raise InvitationLimitReached(
            _("%(team)s has sent %(count)d invitations in the last hour, the maximum; try again in an hour.")
            % {"team": team.name, "count": sent_by_team}
        )
    per_address = settings.INVITATIONS_PER_ADDRESS_PER_DAY
    sent_to_address = Invitation.objects.filter(
        email__iexact=email, created_at__gte=now - datetime.timedelta(days=1)
    ).count()
    if sent_to_address >= per_address:
        raise InvitationLimitReached(
            _("%(email)s has received %(count)d invitations in the last 24 hours, the maximum; try again tomorrow.")
            % {"email": email, "count": sent_to_address}
        )


def invite_member(actor: User, team: Team, email: str, role: str) -> Invitation:
    """Invite an address to join the team with a role, and queue the invitation email.

    A pending invitation of the same address to the same team is revoked, so
    only the newest link works.
    """
    actor_membership = require_role(actor, team, Role.ADMIN)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInvitation(
            _("%(email)r is not a valid email address; use a form like name@example.com.") % {"email": email}
        ) from None
    if role not in Role.values:
        raise InvalidInvitation(
            _("Role %(role)r is not valid; use one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)}
        )
    _require_owner_for(actor_membership, team, role)

    with transaction.atomic():
        # Locking the team row serialises invitations of one team, so two
        # requests at once cannot both pass the rate limit check.
        Team.objects.select_for_update().get(pk=team.pk)
        if Membership.objects.filter(team=team, user__email__iexact=email).exists():
            raise AlreadyMember(_("%(email)s is already a member of %(team)s.") % {"email": email, "team": team.name})
        check_invitation_limits(team, email)
        now = timezone.now()
        Invitation.objects.filter(
            team=team, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        token, token_hash = tokens.new_token()
        invitation = Invitation.objects.create(
            team=team,
            email=email,
            role=role,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=now + INVITATION_LIFETIME,
        )
        send_invitation_email.enqueue(invitation.pk, tokens.seal(token, token_hash))
    logger.info("User %s created invitation %s to team %s with role %s", actor.pk, invitation.public_id, team.pk, role)
    return invitation


@transaction.atomic
def revoke_invitation(actor: User, invitation: Invitation) -> Invitation:
    require_role(actor, invitation.team, Role.ADMIN)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("The invitation of %(email)s was already accepted; remove the member instead.") % {"email": invitation.email}
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        logger.info("User %s revoked invitation %s", actor.pk, invitation.public_id)
    return invitation


def check_invitation_token(invitation: Invitation, token: str) -> None:
    if not tokens.token_matches(token, invitation.token_hash):
        raise InvitationNotFound(_("This invitation link is not valid; check that you copied all of it."))


def check_invitation_usable(invitation: Invitation) -> None:
    """Raise InvitationUnusable naming why the link no longer works."""
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _("This invitation to %(team)s was revoked; ask its owner or an admin for a new one.")
            % {"team": invitation.team.name}
        )
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("This invitation to %(team)s has already been used; each link works once.") % {"team": invitation.team.name}
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(
            _("This invitation to %(team)s expired on %(date)s; ask its owner or an admin for a new one.")
            % {"team": invitation.team.name, "date": invitation.expires_at.date().isoformat()}
        )


def check_invitation_address(invitation: Invitation, user: User) -> None:
    if user.email.casefold() != invitation.email.casefold():
        raise InvitationForAnotherAddress(
            _("This invitation is for %(invited)s, but you are signed in as %(email)s; sign in with the invited address.")
            % {"invited": invitation.email, "email": user.email}
        )


@transaction.atomic
def accept_invitation(user: User, invitation: Invitation, token: str) -> Membership:
    """Make the user a member of the invitation's team; the link then stops working."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("team").get(pk=invitation.pk)
    check_invitation_token(invitation, token)
    check_invitation_usable(invitation)
    check_invitation_address(invitation, user)
    if Membership.objects.filter(team=invitation.team, user=user).exists():
        raise AlreadyMember(
            _("You are already a member of %(team)s.") % {"team": invitation.team.name}
        )
    membership = Membership.objects.create(team=invitation.team, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    logger.info("User %s accepted invitation %s to team %s", user.pk, invitation.public_id, invitation.team_id)
    return membership


def _lock_memberships(team: Team) -> dict[int, Membership]:
    # Locking every membership of the team serialises role changes and
    # removals, so two owners demoting each other at once cannot leave the
    # team without an owner.
    return {membership.pk: membership for membership in Membership.objects.select_for_update().filter(team=team)}


def _require_another_owner(team: Team, memberships: dict[int, Membership], target: Membership, verb: str) -> None:
    owners = [m for m in memberships.values() if m.role == Role.OWNER]
    if target.role == Role.OWNER and len(owners) == 1:
        raise LastOwner(
            _("%(email)s is the only owner of %(team)s, so you cannot %(verb)s; make another member owner first.")
            % {"email": target.user.email, "team": team.name, "verb": verb}
        )


@transaction.atomic
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    team = membership.team
    actor_membership = require_role(actor, team, Role.ADMIN)
    if role not in Role.values:
        raise InvalidInvitation(
            _("Role %(role)r is not valid; use one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)}
        )
    memberships = _lock_memberships(team)
    target = memberships.get(membership.pk)
    if target is None:
        raise RuleError(_("%(email)s is no longer a member of %(team)s.") % {"email": membership.user.email, "team": team.name})
    _require_owner_for(actor_membership, team, role, target.role)
    if target.role == role:
        return target
    if role != Role.OWNER:
        _require_another_owner(team, memberships, target, _("change their role"))
    previous = target.role
    target.role = role
    target.save(update_fields=["role"])
    logger.info("User %s changed membership %s from %s to %s", actor.pk, target.public_id, previous, role)
    return target


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    """Remove a member from the team; members may also remove themselves (leave).

    Their access ends with this transaction, and their address is dropped
    from emails still waiting to go to partners linked to this team.
    """
    team = membership.team
    leaving = membership.user_id == actor.pk
    actor_membership = require_role(actor, team, Role.VIEWER if leaving else Role.ADMIN)
    memberships = _lock_memberships(team)
    target = memberships.get(membership.pk)
    if target is None:
        return
    if not leaving:
        _require_owner_for(actor_membership, team, target.role)
    _require_another_owner(team, memberships, target, _("leave the team") if leaving else _("remove them"))
    target.delete()
    dropped = drop_pending_recipient(team, target.user.email)
    logger.info(
        "User %s removed membership %s (user %s) from team %s; dropped from %d pending notifications",
        actor.pk,
        target.public_id,
        target.user_id,
        team.pk,
        dropped,
    )


def drop_pending_recipient(team: Team, email: str) -> int:
    """Remove `email` from the recipients of pending emails to partners linked to `team`; return how many changed.

    The caller owns the transaction.
    """
    changed = 0
    removed_address = email.casefold()
    pending = Notification.objects.select_for_update(of=("self",)).filter(partner__linked_team=team, status=Status.PENDING)
    for notification in pending:
        kept = [r for r in notification.recipients if str(r.get("email", "")).casefold() != removed_address]
        if len(kept) != len(notification.recipients):
            notification.recipients = kept
            notification.save(update_fields=["recipients"])
            changed += 1
    return changed


@transaction.atomic
def transfer_ownership(actor: User, membership: Membership) -> Membership:
    """Make another member an owner and the acting owner an admin."""
    team = membership.team
    require_role(actor, team, Role.OWNER)
    memberships = _lock_memberships(team)
    target = memberships.get(membership.pk)
    if target is None or target.user_id == actor.pk:
        raise RuleError(_("Choose another member of %(team)s to hand ownership to.") % {"team": team.name})
    actor_membership = next(m for m in memberships.values() if m.user_id == actor.pk)
    target.role = Role.OWNER
    target.save(update_fields=["role"])
    actor_membership.role = Role.ADMIN
    actor_membership.save(update_fields=["role"])
    logger.info("User %s handed ownership of team %s to membership %s", actor.pk, team.pk, target.public_id)
    return target


@transaction.atomic
def delete_team(actor: User, team: Team, confirm_name: str) -> None:
    """Delete the team with its partners, projects, cards and pending emails."""
    require_role(actor, team, Role.OWNER)
    if (confirm_name or "").strip() != team.name:
        raise TeamNameMismatch(
            _("Type the team name, %(name)s, exactly to confirm deleting it.") % {"name": team.name}
        )
    team_id = team.pk
    # Cards first: Card.stage is PROTECT, so deleting the stages through the
    # team's projects would be refused while their cards still exist.
    Card.objects.filter(team=team).delete()
    team.delete()
    logger.info("User %s deleted team %s", actor.pk, team_id)
