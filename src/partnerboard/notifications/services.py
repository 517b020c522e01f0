import datetime
import logging

from django.conf import settings
from django.utils import timezone

from partnerboard.notifications.models import Notification, NotificationKind, Status

logger = logging.getLogger(__name__)


def undo_delay() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATION_UNDO_SECONDS)


def record_owed(card, stage, kind: str, actor) -> Notification:
    """Write the notification a change owes the partner; call inside the change's transaction."""
    contacts = card.partner.contacts.filter(unsubscribed_at__isnull=True)
    recipients = [{"name": contact.name, "email": contact.email} for contact in contacts]
    notification = Notification.objects.create(
        team_id=card.team_id,
        project_id=card.project_id,
        partner_id=card.partner_id,
        card=card,
        stage=stage,
        kind=kind,
        actor=actor,
        recipients=recipients,
        due_at=timezone.now() + undo_delay(),
    )
    logger.info(
        "Recorded %s notification %s for card %s (%d recipients)",
        kind,
        notification.public_id,
        card.public_id,
        len(recipients),
    )
    return notification


def cancel_pending_for_card(card, keep_stage=None) -> int:
    """Cancel the card's emails that are still waiting, except those about `keep_stage`.

    A card that leaves a stage before its email goes out no longer matches what
    the email would say, so the email is dropped.
    """
    pending = Notification.objects.filter(card=card, status=Status.PENDING)
    if keep_stage is not None:
        pending = pending.exclude(stage=keep_stage)
    cancelled = pending.update(status=Status.CANCELLED, cancelled_at=timezone.now())
    if cancelled:
        logger.info("Cancelled %d pending notifications of card %s", cancelled, card.public_id)
    return cancelled


__all__ = ["NotificationKind", "cancel_pending_for_card", "record_owed", "undo_delay"]
