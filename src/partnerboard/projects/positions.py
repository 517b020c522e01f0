"""Places of cards inside a column.

Positions are sparse integers, distinct and ascending within a stage. A card
dropped between two others takes the midpoint, so a move writes one row.
When two neighbours are adjacent integers (after about twenty drops into the
same gap) the column is renumbered once and the midpoint exists again.
Callers hold the destination stage's row lock, so two moves into one column
never pick the same free slot.
"""

from django.db.models import Max, Min

from partnerboard.projects.models import Card, Stage

GAP = 1 << 20


def free_position(stage: Stage, after: Card | None, moving: Card | None = None) -> int:
    """Return a free position in `stage` right below `after`, or at the top when `after` is None."""
    position = _midpoint(stage, after, moving)
    if position is None:
        renumber(stage)
        if after is not None:
            after.refresh_from_db(fields=["position"])
        position = _midpoint(stage, after, moving)
    return position


def last_position(stage: Stage) -> int:
    highest = Card.objects.filter(stage=stage).aggregate(value=Max("position"))["value"]
    return GAP if highest is None else highest + GAP


def _midpoint(stage: Stage, after: Card | None, moving: Card | None) -> int | None:
    others = Card.objects.filter(stage=stage)
    if moving is not None:
        others = others.exclude(pk=moving.pk)
    if after is None:
        lowest = others.aggregate(value=Min("position"))["value"]
        return GAP if lowest is None else lowest - GAP
    following = others.filter(position__gt=after.position).aggregate(value=Min("position"))["value"]
    if following is None:
        return after.position + GAP
    if following - after.position < 2:
        return None
    return (after.position + following) // 2


def renumber(stage: Stage) -> None:
    """Spread the positions of a column GAP apart, keeping their order.

    The new positions all lie above the column's current maximum, so no row
    ever takes a value another row still has, and the unique (stage, position)
    constraint is satisfied after each single-row update.
    """
    ordered = list(Card.objects.filter(stage=stage).order_by("position").values_list("pk", "position"))
    if not ordered:
        return
    base = ordered[-1][1]
    for index, (card_id, _old) in enumerate(ordered, start=1):
        Card.objects.filter(pk=card_id, stage=stage).update(position=base + index * GAP)
