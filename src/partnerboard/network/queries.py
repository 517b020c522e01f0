"""Reads of other teams' shared projects, limited to what a partner's linked team may see.

Every read here starts from cards whose partner record is linked to the
reading team, on shared projects, so internal projects, other partners'
cards, notes and who moved a card never leave the owner team.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.http import Http404

from partnerboard.accounts.models import Team
from partnerboard.projects.models import Activity, ActivityKind, Card, Stage, Visibility


@dataclass
class StageStep:
    name: str
    is_current: bool


@dataclass
class StageChange:
    stage_name: str
    changed_at: datetime


@dataclass
class SharedCard:
    """One shared project as shown to the partner's team, with its own card only."""

    public_id: str
    owner_team_name: str
    project_name: str
    partner_name: str
    current_stage: str
    stages: list[StageStep] = field(default_factory=list)
    changes: list[StageChange] = field(default_factory=list)


def _visible_cards(team: Team):
    return (
        Card.objects.filter(
            partner__linked_team=team,
            project__visibility=Visibility.SHARED,
            project__archived_at__isnull=True,
        )
        .exclude(team=team)
        .select_related("project__team", "stage", "partner")
        .order_by("project__team__name", "project__name", "pk")
    )


def _build(cards: list[Card]) -> list[SharedCard]:
    """Attach stages and stage changes to the cards in two queries, whatever their number."""
    project_ids = {card.project_id for card in cards}
    stages_by_project: dict[int, list[Stage]] = {project_id: [] for project_id in project_ids}
    for stage in Stage.objects.filter(project_id__in=project_ids).order_by("project_id", "order"):
        stages_by_project[stage.project_id].append(stage)
    changes_by_card: dict[int, list[StageChange]] = {card.pk: [] for card in cards}
    # Reorders within a column are not stage changes, and the actor is never read.
    activities = (
        Activity.objects.filter(card_id__in=changes_by_card, kind__in=[ActivityKind.ADDED, ActivityKind.MOVED])
        # An undone move and the move that took it back never reached the partner.
        .filter(undo_of__isnull=True, undone_by__isnull=True)
        .select_related("to_stage")
        .order_by("created_at", "pk")
    )
    for activity in activities:
        changes_by_card[activity.card_id].append(StageChange(activity.to_stage.name, activity.created_at))
    return [
        SharedCard(
            public_id=str(card.public_id),
            owner_team_name=card.project.team.name,
            project_name=card.project.name,
            partner_name=card.partner.name,
            current_stage=card.stage.name,
            stages=[StageStep(stage.name, stage.pk == card.stage_id) for stage in stages_by_project[card.project_id]],
            changes=changes_by_card[card.pk],
        )
        for card in cards
    ]


def shared_with(team: Team) -> list[SharedCard]:
    """Return the shared projects of other teams that carry a card for a partner record linked to `team`."""
    return _build(list(_visible_cards(team)))


def shared_card(team: Team, card_id) -> SharedCard:
    """Return one shared card for `team`, or raise Http404 if it is not visible to `team`."""
    cards = list(_visible_cards(team).filter(public_id=card_id))
    if not cards:
        raise Http404
    return _build(cards)[0]
