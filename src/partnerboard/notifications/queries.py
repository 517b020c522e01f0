"""Reads of the outbox for the board's undo banner, the move response and the logs."""

from django.urls import reverse
from django.utils import timezone

from partnerboard.notifications.models import Notification, Status
from partnerboard.notifications.services import seconds_left


def undo_url(notification: Notification) -> str:
    return reverse("notifications:undo", args=[notification.team.slug, notification.public_id])


def pending_for_card(card) -> Notification | None:
    """Return the card's email that is still inside its undo window, if any."""
    # Entering a stage cancels the card's waiting emails about other stages. So
    # only a stage that notifies, or the first stage with its email on adding,
    # can have one, and the query is skipped for every other stage.
    if not (card.stage.notifies or card.stage.order == 0):
        return None
    return (
        Notification.objects.select_related("partner", "team")
        .filter(card=card, status=Status.PENDING, due_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
        .first()
    )


def pending_json(notification: Notification | None) -> dict | None:
    """Return the fields the board's countdown needs, for the move's JSON response."""
    if notification is None:
        return None
    return {
        "id": str(notification.public_id),
        "partner": notification.partner.name,
        "seconds_left": seconds_left(notification),
        "undo_url": undo_url(notification),
    }


UNDO_SESSION_KEY = "notifications.undo_offers"


def offer_undo(request, card) -> Notification | None:
    """Remember the card's waiting email in the session, so the next board page offers its Undo; return it."""
    notification = pending_for_card(card)
    if notification is None:
        return None
    offers = [offer for offer in request.session.get(UNDO_SESSION_KEY, []) if offer != str(notification.public_id)]
    request.session[UNDO_SESSION_KEY] = [str(notification.public_id), *offers][:5]
    return notification


def undoable_for(request, project) -> list[Notification]:
    """Return the emails this session's changes queued on the project that can still be undone."""
    offers = request.session.get(UNDO_SESSION_KEY, [])
    if not offers:
        return []
    return list(
        Notification.objects.select_related("partner", "team", "stage")
        .filter(project=project, public_id__in=offers, status=Status.PENDING, due_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
    )


def log(team, *, project=None, partner=None):
    notifications = Notification.objects.filter(team=team).select_related("partner", "project", "stage", "actor", "card")
    if project is not None:
        notifications = notifications.filter(project=project)
    if partner is not None:
        notifications = notifications.filter(partner=partner)
    return notifications.order_by("-created_at", "-pk")
