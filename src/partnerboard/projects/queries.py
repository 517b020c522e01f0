"""Reads of boards that must stay at a fixed number of SQL queries whatever the number of cards."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.utils.translation import gettext as _
from django.db.models.functions import RowNumber

from partnerboard.notifications.models import Notification, Status
from partnerboard.partners.models import Partner
from partnerboard.partners.names import name_key
from partnerboard.projects.models import Card, Project, Stage
from partnerboard.projects.services import kind_refusal


@dataclass
class Column:
    stage: Stage
    count: int
    cards: list[Card]

    @property
    def has_more(self) -> bool:
        return len(self.cards) < self.count


def _card_rows(project: Project, name_filter: str):
    cards = (
        Card.objects.filter(project=project)
        .select_related("partner")
        .annotate(
            email_pending=Exists(Notification.objects.filter(card=OuterRef("pk"), status=Status.PENDING)),
            email_failed=Exists(Notification.objects.filter(card=OuterRef("pk"), status=Status.FAILED)),
        )
    )
    if name_filter:
        cards = cards.filter(partner__name_key__contains=name_key(name_filter))
    return cards


def board_columns(project: Project, name_filter: str = "", page_size: int | None = None) -> list[Column]:
    """Return the project's columns with their card counts and first cards, in two queries."""
    page_size = page_size or settings.BOARD_COLUMN_PAGE_SIZE
    count_filter = Q()
    if name_filter:
        count_filter = Q(cards__partner__name_key__contains=name_key(name_filter))
    stages = list(
        Stage.objects.filter(project=project).annotate(card_count=Count("cards", filter=count_filter)).order_by("order")
    )
    # One query for the first cards of every column. Its inner query numbers the
    # cards of each stage by position, reading only the (project, stage, position)
    # index. Only the first page of each stage is then joined to its partner and
    # checked for pending or failed emails.
    ranked = Card.objects.filter(project=project)
    if name_filter:
        ranked = ranked.filter(partner__name_key__contains=name_key(name_filter))
    first_pages = (
        ranked.annotate(rank=Window(RowNumber(), partition_by=[F("stage_id")], order_by=F("position").asc()))
        .filter(rank__lte=page_size)
        .values("pk")
    )
    cards_by_stage: dict[int, list[Card]] = {stage.pk: [] for stage in stages}
    for card in _card_rows(project, "").filter(pk__in=first_pages).order_by("stage_id", "position"):
        cards_by_stage[card.stage_id].append(card)
    return [Column(stage=stage, count=stage.card_count, cards=cards_by_stage[stage.pk]) for stage in stages]


def column_page(
    stage: Stage, after_position: int, name_filter: str = "", page_size: int | None = None
) -> tuple[list[Card], bool]:
    """Return the next cards of a column below `after_position`, and whether more follow them."""
    page_size = page_size or settings.BOARD_COLUMN_PAGE_SIZE
    cards = _card_rows(stage.project, name_filter).filter(stage=stage, position__gt=after_position)
    # Reading one card beyond the page shows whether another page exists.
    rows = list(cards.order_by("position")[: page_size + 1])
    return rows[:page_size], len(rows) > page_size


@dataclass
class Candidate:
    partner: Partner
    reason: str

    @property
    def can_add(self) -> bool:
        return not self.reason


def add_candidates(project: Project, search: str = "", limit: int = 200) -> list[Candidate]:
    """Return the team's partners for the add dialog, each with why it cannot be added, if it cannot."""
    partners = Partner.objects.active().filter(team=project.team)
    if search:
        partners = partners.filter(name_key__contains=name_key(search))
    partners = partners.annotate(
        on_stage=Subquery(Card.objects.filter(project=project, partner=OuterRef("pk")).values("stage__name")[:1])
    ).order_by("name_key")[:limit]
    candidates = []
    for partner in partners:
        if partner.on_stage:
            reason = _("Already on %(project)s, in %(stage)s.") % {"project": project.name, "stage": partner.on_stage}
        else:
            reason = kind_refusal(project, partner) or ""
        candidates.append(Candidate(partner=partner, reason=reason))
    return candidates


def card_history(card: Card) -> list:
    return list(card.activities.select_related("actor", "from_stage", "to_stage").order_by("created_at", "pk"))
