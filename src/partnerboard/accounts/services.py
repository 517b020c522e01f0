import logging

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Kind, Membership, Role, Team, User
from partnerboard.errors import RoleRequired, RuleError

logger = logging.getLogger(__name__)


class InvalidTeam(RuleError):
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
