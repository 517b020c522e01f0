import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerboard.accounts.models import Role
from partnerboard.accounts.services import require_role
from partnerboard.notifications import delivery, errors
from partnerboard.notifications.models import Notification, NotificationKind, Status
from partnerboard.projects.models import Activity

logger = logging.getLogger(__name__)


def undo_delay() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATION_UNDO_SECONDS)


def record_owed(card, stage, kind: str, actor) -> Notification | None:
    """Write the notification a change owes the partner; call inside the change's transaction.

    A partner without a subscribed contact has no one to write to, so nothing
    is recorded and the board offers no countdown for an email that cannot leave.
    """
    contacts = card.partner.contacts.filter(unsubscribed_at__isnull=True)
    recipients = [{"name": contact.name, "email": contact.email} for contact in contacts]
    if not recipients:
        logger.info("Recorded no %s notification for card %s: its partner has no subscribed contact", kind, card.public_id)
        return None
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
    # The task row is written in this same transaction (django-tasks-db 0.13 inserts it
    # at enqueue, with no on_commit), so a rolled-back change leaves neither behind.
    delivery.enqueue_delivery(notification, run_after=notification.due_at)
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

    A card that leaves a stage before its email goes out no longer matches the
    email's content, so the email is dropped.
    """
    pending = Notification.objects.filter(card=card, status=Status.PENDING)
    if keep_stage is not None:
        pending = pending.exclude(stage=keep_stage)
    cancelled = pending.update(status=Status.CANCELLED, cancelled_at=timezone.now())
    if cancelled:
        logger.info("Cancelled %d pending notifications of card %s", cancelled, card.public_id)
    return cancelled




def seconds_left(notification: Notification) -> int:
    """Return the whole seconds left in the undo window, 0 once it has passed."""
    return max(0, int((notification.due_at - timezone.now()).total_seconds() + 0.999))


def undo_notification(actor, notification: Notification) -> Notification:
    """Cancel a waiting email and, for a move, put the card back in the stage it came from.

    The card goes back through projects.services.move_card, so the undo is an
    ordinary move with its own activity row, and it records no email of its own.
    """
    from partnerboard.projects import services as projects

    require_role(actor, notification.team, Role.MEMBER)
    with transaction.atomic():
        locked = Notification.objects.select_for_update(of=("self",)).select_related("card", "partner", "stage").get(pk=notification.pk)
        if locked.status != Status.PENDING or locked.due_at <= timezone.now() or locked.card is None:
            raise errors.UndoWindowClosed(
                _("The email to %(partner)s about %(stage)s can no longer be undone: it is %(status)s.")
                % {"partner": locked.partner.name, "stage": locked.stage.name, "status": _undo_state(locked)}
            )
        if locked.kind == NotificationKind.STAGE:
            entry = (
                locked.card.activities.filter(to_stage=locked.stage, kind="moved")
                .select_related("from_stage")
                .order_by("-created_at", "-pk")
                .first()
            )
            if entry is not None and entry.from_stage is not None:
                # Leaving the stage cancels the card's pending emails (move_card does that).
                projects.move_card(actor, locked.card, entry.from_stage, notify_partner=False)
                # The card row is locked, so the card's newest activity is the move just made.
                back = locked.card.activities.order_by("-pk").first()
                Activity.objects.filter(pk=back.pk).update(undo_of=entry)
        Notification.objects.filter(pk=locked.pk, status=Status.PENDING).update(
            status=Status.CANCELLED, cancelled_at=timezone.now()
        )
    locked.refresh_from_db()
    logger.info("Undid notification %s of card %s", locked.public_id, locked.card.public_id)
    return locked


def _undo_state(notification: Notification) -> str:
    if notification.status == Status.PENDING:
        return _("already being sent")
    return notification.get_status_display().lower()


def retry_notification(actor, notification: Notification) -> Notification:
    """Send a failed notification again, now, with a fresh count of attempts."""
    require_role(actor, notification.team, Role.MEMBER)
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
            status=Status.PENDING, due_at=timezone.now(), attempts=0
        )
        if not updated:
            notification.refresh_from_db()
            raise errors.NotRetryable(
                _("The email to %(partner)s is %(status)s; only a failed email can be sent again.")
                % {"partner": notification.partner.name, "status": notification.get_status_display().lower()}
            )
        delivery.enqueue_delivery(notification)
    notification.refresh_from_db()
    logger.info("Member %s retried notification %s", actor.pk, notification.public_id)
    return notification


def update_stage_sentence(actor, stage, sentence: str):
    """Set the partner-facing sentence of a stage's email; blank restores the default."""
    require_role(actor, stage.team, Role.ADMIN)
    sentence = " ".join((sentence or "").split())
    if len(sentence) > 500:
        raise errors.InvalidSentence(
            _("The sentence for %(stage)s has %(count)d characters; keep it to 500.") % {"stage": stage.name, "count": len(sentence)}
        )
    with transaction.atomic():
        stage.email_sentence = sentence
        stage.save(update_fields=["email_sentence"])
    return stage


def unsubscribe(team_id: int, address: str) -> int:
    """Stop emails from one team to one address: mark every contact of that team with it unsubscribed."""
    from partnerboard.partners.models import Contact

    with transaction.atomic():
        count = Contact.objects.filter(team_id=team_id, email__iexact=address, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    logger.info("Unsubscribed %s contacts of team %s", count, team_id)
    return count
