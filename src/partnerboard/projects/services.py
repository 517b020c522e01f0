"""Writes to projects and boards: deploy, rename, archive, add partners, move cards.

Each function takes the acting user, checks the role, owns its transaction,
writes the activity row and records owed emails in that same transaction.
"""

import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Role, Team, User
from partnerboard.accounts.services import require_role
from partnerboard.notifications import services as notifications
from partnerboard.notifications.models import NotificationKind
from partnerboard.partners.models import Partner
from partnerboard.projects import errors, positions
from partnerboard.projects.catalog import KIND_WITH_ARTICLE, TEMPLATES_BY_KEY
from partnerboard.projects.models import Activity, ActivityKind, Card, Project, Stage

logger = logging.getLogger(__name__)


def _unused_project_name(team: Team, base: str) -> str:
    taken = set(Project.objects.filter(team=team, name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base} {number}" in taken:
        number += 1
    return f"{base} {number}"


def _clean_project_name(team: Team, name: str, project: Project | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise errors.InvalidProjectName(_("A project needs a name."))
    if len(name) > 200:
        raise errors.InvalidProjectName(_("A project name has at most 200 characters; this one has %d.") % len(name))
    clash = Project.objects.filter(team=team, name=name)
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise errors.InvalidProjectName(
            _("%(team)s already has a project named “%(name)s”; choose another name.") % {"team": team.name, "name": name}
        )
    return name


@transaction.atomic
def deploy_project(actor: User, team: Team, template_key: str, name: str | None = None) -> Project:
    """Create a project from a built-in template, with its own copy of the template's stages."""
    require_role(actor, team, Role.MEMBER)
    template = TEMPLATES_BY_KEY.get(template_key)
    if template is None:
        raise errors.UnknownTemplate(
            _("There is no template %(key)r; use one of: %(keys)s.")
            % {"key": template_key, "keys": ", ".join(TEMPLATES_BY_KEY)}
        )
    if name:
        name = _clean_project_name(team, name)
    else:
        name = _unused_project_name(team, str(template.title))
    project = Project.objects.create(
        team=team, name=name, template_key=template.key, visibility=template.visibility
    )
    Stage.objects.bulk_create(
        Stage(team=team, project=project, name=spec.name, order=order, notifies=spec.notifies)
        for order, spec in enumerate(template.stages)
    )
    logger.info("Deployed template %s as project %s in team %s", template.key, project.public_id, team.pk)
    return project


@transaction.atomic
def update_project(actor: User, project: Project, *, name: str, email_on_add: bool) -> Project:
    """Rename a project and set whether adding a partner emails it."""
    require_role(actor, project.team, Role.ADMIN)
    project.name = _clean_project_name(project.team, name, project)
    project.email_on_add = email_on_add
    project.save(update_fields=["name", "email_on_add"])
    return project


@transaction.atomic
def archive_project(actor: User, project: Project) -> Project:
    require_role(actor, project.team, Role.ADMIN)
    if project.archived_at is None:
        project.archived_at = timezone.now()
        project.save(update_fields=["archived_at"])
    return project


@transaction.atomic
def restore_project(actor: User, project: Project) -> Project:
    require_role(actor, project.team, Role.ADMIN)
    project.archived_at = None
    project.save(update_fields=["archived_at"])
    return project


def _require_open(project: Project) -> None:
    if project.archived_at is not None:
        raise errors.ProjectArchived(
            _("%(project)s is archived; restore it before adding or moving partners.") % {"project": project.name}
        )


def kind_refusal(project: Project, partner: Partner) -> str | None:
    """Return why the partner's kind keeps it off the project, or None when the kind is accepted."""
    template = project.template
    if template.accepts(partner.kind):
        return None
    return _(
        "%(project)s takes %(kinds)s only; %(partner)s is %(kind)s, so it cannot be added to Request sent."
    ) % {
        "project": project.name,
        "kinds": template.partner_kinds_label,
        "partner": partner.name,
        "kind": KIND_WITH_ARTICLE[partner.kind],
    }


def add_partner(actor: User, project: Project, partner: Partner) -> Card:
    """Put a partner from the team's list on the project, in its first stage."""
    require_role(actor, project.team, Role.MEMBER)
    try:
        with transaction.atomic():
            return _add_partner_locked(actor, project, partner)
    except IntegrityError:
        # Two adds of the same partner raced past the existence check; the
        # unique (project, partner) constraint let only one through.
        card = Card.objects.select_related("stage").filter(project=project, partner=partner).first()
        if card is None:
            raise
        raise _already_on_project(project, partner, card) from None


def _already_on_project(project: Project, partner: Partner, card: Card) -> errors.AlreadyOnProject:
    return errors.AlreadyOnProject(
        _("%(partner)s is already on %(project)s, in %(stage)s.")
        % {"partner": partner.name, "project": project.name, "stage": card.stage.name}
    )


def _add_partner_locked(actor: User, project: Project, partner: Partner) -> Card:
    _require_open(project)
    if partner.team_id != project.team_id:
        raise errors.PartnerNotInTeam(
            _("%(partner)s is not in the partner list of %(team)s; add it there first.")
            % {"partner": partner.name, "team": project.team.name}
        )
    # Locking the partner row makes a second add of the same partner wait for
    # the first and then see its card, instead of failing on the constraint.
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.archived_at is not None:
        raise errors.PartnerArchived(
            _("%(partner)s is archived; restore it before adding it to %(project)s.")
            % {"partner": partner.name, "project": project.name}
        )
    existing = Card.objects.select_related("stage").filter(project=project, partner=partner).first()
    if existing is not None:
        raise _already_on_project(project, partner, existing)
    refusal = kind_refusal(project, partner)
    if refusal:
        raise errors.WrongPartnerKind(refusal)

    first_stage = Stage.objects.select_for_update().get(project=project, order=0)
    card = Card.objects.create(
        team_id=project.team_id,
        project=project,
        partner=partner,
        stage=first_stage,
        position=positions.last_position(first_stage),
        stage_entered_at=timezone.now(),
    )
    Activity.objects.create(team_id=project.team_id, card=card, kind=ActivityKind.ADDED, actor=actor, to_stage=first_stage)
    if project.email_on_add:
        notifications.record_owed(card, first_stage, NotificationKind.ADDED, actor)
    logger.info("Added partner %s to project %s as card %s", partner.public_id, project.public_id, card.public_id)
    return card


def move_card(
    actor: User,
    card: Card,
    to_stage: Stage,
    *,
    after: Card | None = None,
    to_top: bool = False,
    expected_version: int | None = None,
    request_key: uuid.UUID | None = None,
    notify_partner: bool = True,
) -> Card:
    """Move a card to a stage of its project, below `after` (or on top, or at the bottom).

    `expected_version` is the card version the client saw; a different one
    means someone else moved the card meanwhile, and the move is rejected.
    `request_key` makes a resubmitted request a no-op. `notify_partner=False`
    records no email, for undoing a move whose email was cancelled.
    """
    require_role(actor, card.team, Role.MEMBER)
    with transaction.atomic():
        return _move_card_locked(actor, card, to_stage, after, to_top, expected_version, request_key, notify_partner)


def _move_card_locked(actor, card, to_stage, after, to_top, expected_version, request_key, notify_partner=True) -> Card:
    project = card.project
    _require_open(project)
    if to_stage.project_id != card.project_id:
        raise errors.StageNotInProject(
            _("%(partner)s can only move between the stages of %(project)s; %(stage)s belongs to another project.")
            % {"partner": card.partner.name, "project": project.name, "stage": to_stage.name}
        )
    # Moves lock the stage before the card, and a column renumbering runs under
    # the stage lock alone, so these transactions never wait on each other in a cycle.
    Stage.objects.select_for_update().filter(pk=to_stage.pk).first()
    # Only the card row is locked and read. On PostgreSQL, a row that a concurrent
    # move updated while this one waited is re-checked against the query's joins,
    # and with the old stage joined the lock returned no row at all.
    current = Card.objects.select_for_update().get(pk=card.pk)
    # A card's partner never changes, and its stage is usually the one the caller loaded.
    current.partner = card.partner
    if current.stage_id == card.stage_id:
        current.stage = card.stage

    # Every applied move raises the version, so a request whose expected version is
    # still current cannot have been applied before and its key needs no lookup.
    key_may_be_used = expected_version is None or current.version != expected_version
    if request_key is not None and key_may_be_used:
        if Activity.objects.filter(card=current, request_key=request_key).exists():
            return current
    if expected_version is not None and current.version != expected_version:
        raise errors.CardMovedMeanwhile(
            _("%(partner)s was moved to %(stage)s by someone else meanwhile; the board now shows it there.")
            % {"partner": current.partner.name, "stage": current.stage.name}
        )
    if after is not None and (after.stage_id != to_stage.pk or after.pk == current.pk):
        after = Card.objects.filter(pk=after.pk, stage=to_stage).exclude(pk=current.pk).first()
        if after is None:
            raise errors.AfterCardNotInStage(
                _("The card to drop %(partner)s below is no longer in %(stage)s; reload the board and try again.")
                % {"partner": current.partner.name, "stage": to_stage.name}
            )
    elif after is not None:
        after = Card.objects.get(pk=after.pk)

    from_stage = current.stage
    same_stage = from_stage.pk == to_stage.pk
    if same_stage and after is None and not to_top:
        return current

    if after is None and not to_top:
        current.position = positions.last_position(to_stage)
    else:
        current.position = positions.free_position(to_stage, after, moving=current)
    current.stage = to_stage
    current.version += 1
    if not same_stage:
        current.stage_entered_at = timezone.now()
    current.save(update_fields=["stage", "position", "version", "stage_entered_at"])

    Activity.objects.create(
        team_id=current.team_id,
        card=current,
        kind=ActivityKind.REORDERED if same_stage else ActivityKind.MOVED,
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        request_key=request_key,
    )
    if not same_stage:
        notifications.cancel_pending_for_card(current)
        if to_stage.notifies and notify_partner:
            notifications.record_owed(current, to_stage, NotificationKind.STAGE, actor)
    logger.info(
        "Moved card %s from stage %s to stage %s (version %s)",
        current.public_id,
        from_stage.public_id,
        to_stage.public_id,
        current.version,
    )
    return current
