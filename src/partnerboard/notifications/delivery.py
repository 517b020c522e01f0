"""Delivery of notifications over SMTP: claim a row, send it, record the outcome.

A row moves pending → sending → sent, or back to pending with a later
``due_at`` after a temporary failure, or to failed after a permanent one.
The claim is one conditional UPDATE, so of two workers only one gets the row.
A worker killed mid-send leaves the row in "sending" until its lease expires,
and then another worker (or the sweep) takes it over.

NOTE: a worker killed after the SMTP server accepted the message (its 250
reply to DATA) but before the "sent" update commits leaves a row that another
worker sends again once the lease expires: that partner gets the email twice.
The message keeps the same Message-ID on every attempt, so mail systems that
drop repeated Message-IDs show it once. SMTP offers no way to ask a server
whether it already has a message, so this window cannot be closed here.
"""

import datetime
import logging
import secrets
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerboard.accounts.models import Team
from partnerboard.notifications.emails import build_message
from partnerboard.notifications.models import Notification, NotificationKind, Status
from partnerboard.projects.models import Card

logger = logging.getLogger(__name__)

RATE_WINDOW = datetime.timedelta(hours=1)


class TemporaryFailure(Exception):
    """The server or network failed in a way that a later attempt may not."""


class PermanentFailure(Exception):
    """The server rejected the message for good (5xx, invalid address), or it cannot be built."""


def enqueue_delivery(notification: Notification, run_after: datetime.datetime | None = None) -> None:
    """Enqueue the delivery task and remember its id; call inside the transaction that changed the row."""
    from partnerboard.notifications.tasks import deliver_notification

    task = deliver_notification
    if run_after is not None:
        task = task.using(run_after=run_after)
    result = task.enqueue(notification.pk)
    Notification.objects.filter(pk=notification.pk).update(task_id=result.id)
    notification.task_id = result.id


def _claimable(now) -> Q:
    return Q(status=Status.PENDING, due_at__lte=now) | Q(status=Status.SENDING, lease_expires_at__lte=now)


def _over_rate_limit(notification: Notification, now) -> datetime.datetime | None:
    """Return when the team may send again, or None when it is under its hourly limit."""
    limit = settings.PARTNERBOARD_TEAM_EMAILS_PER_HOUR
    if not limit:
        return None
    # Locking the team row makes concurrent claims of one team count one after another.
    Team.objects.select_for_update().filter(pk=notification.team_id).first()
    recent = Notification.objects.filter(team_id=notification.team_id, attempted_at__gt=now - RATE_WINDOW)
    recent = recent.exclude(pk=notification.pk).order_by("-attempted_at").values_list("attempted_at", flat=True)
    attempts = list(recent[:limit])
    if len(attempts) < limit:
        return None
    return attempts[-1] + RATE_WINDOW


def _card_left_stage(notification: Notification) -> bool:
    if notification.kind != NotificationKind.STAGE:
        return False
    if notification.card_id is None:
        return True
    return not Card.objects.filter(pk=notification.card_id, stage_id=notification.stage_id).exists()


def claim(notification_id: int) -> tuple[Notification, str] | None:
    """Take the row for sending; return it with the claim token, or None when it is not claimable now."""
    now = timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        notification = Notification.objects.filter(pk=notification_id).filter(_claimable(now)).first()
        if notification is None:
            return None
        if _card_left_stage(notification):
            # A move cancels only pending rows. A row that was being sent when its card moved on
            # is dropped here, so the partner gets no email about a stage the card has left.
            Notification.objects.filter(pk=notification_id).filter(_claimable(now)).update(
                status=Status.CANCELLED, cancelled_at=now, lease_expires_at=None
            )
            logger.info("Cancelled notification %s because its card left stage %s", notification.public_id, notification.stage_id)
            return None
        retry_at = _over_rate_limit(notification, now)
        if retry_at is not None:
            updated = Notification.objects.filter(pk=notification_id, status=Status.PENDING).update(due_at=retry_at)
            if updated:
                enqueue_delivery(notification, retry_at)
                logger.warning(
                    "Team %s reached its limit of %s partner emails per hour; notification %s waits until %s",
                    notification.team_id, settings.PARTNERBOARD_TEAM_EMAILS_PER_HOUR, notification.public_id, retry_at,
                )
            return None
        # The status condition is checked again by the UPDATE itself: on PostgreSQL a
        # concurrent claim waits for the row lock and then matches nothing, and on
        # SQLite the immediate transaction lets only one claim run at a time.
        # NOTE: EMAIL_TIMEOUT bounds each SMTP command, not the whole send. A server that answers
        # every command just before the timeout can keep a send past the lease, and then a second
        # worker may send the same email.
        updated = Notification.objects.filter(pk=notification_id).filter(_claimable(now)).update(
            status=Status.SENDING,
            claim_token=token,
            attempts=F("attempts") + 1,
            attempted_at=now,
            lease_expires_at=now + datetime.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS),
        )
    if not updated:
        return None
    notification.refresh_from_db()
    return notification, token


def _classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        if any(400 <= code < 500 for code in codes):
            return TemporaryFailure(f"Recipients refused for now: {error.recipients}")
        return PermanentFailure(f"Recipients refused: {error.recipients}")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # Wrong credentials are fixed in the settings, after which a retry succeeds.
        return TemporaryFailure(f"SMTP authentication failed: {error.smtp_code} {error.smtp_error!r}")
    if isinstance(error, smtplib.SMTPResponseException):
        reply = f"{error.smtp_code} {error.smtp_error.decode('utf-8', 'replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"
        if 500 <= error.smtp_code < 600:
            return PermanentFailure(f"SMTP server rejected the message: {reply}")
        return TemporaryFailure(f"SMTP server deferred the message: {reply}")
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return TemporaryFailure(f"{type(error).__name__}: {error}")
    return TemporaryFailure(f"Unexpected {type(error).__name__}: {error}")


def _send(notification: Notification) -> str:
    """Send the email and return the server's reply; raises TemporaryFailure or PermanentFailure."""
    try:
        message = build_message(notification)
    except (ValueError, TypeError) as error:
        raise PermanentFailure(f"The email could not be built: {error}") from error
    if not message.to:
        raise PermanentFailure("No recipient: the partner has no subscribed contact outside the sending team.")
    connection = get_connection(fail_silently=False)
    message.connection = connection
    try:
        message.send()
    except Exception as error:  # every SMTP and socket error is classified and recorded, none is lost
        raise _classify(error) from error
    reply_of = getattr(connection, "last_reply", None)
    return reply_of() if reply_of else f"Accepted by {type(connection).__module__}"


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATION_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def deliver(notification_id: int) -> str:
    """Claim, send and record one notification; return its status afterwards, or "skipped"."""
    claimed = claim(notification_id)
    if claimed is None:
        logger.info("Notification %s is not due or is taken by another worker; skipped", notification_id)
        return "skipped"
    notification, token = claimed
    mine = Notification.objects.filter(pk=notification.pk, status=Status.SENDING, claim_token=token)
    try:
        reply = _send(notification)
    except PermanentFailure as failure:
        mine.update(status=Status.FAILED, last_error=str(failure)[:2000], lease_expires_at=None)
        logger.error("Notification %s failed for good on attempt %s: %s", notification.public_id, notification.attempts, failure)
        return Status.FAILED
    except TemporaryFailure as failure:
        return _after_temporary_failure(notification, token, failure)
    now = timezone.now()
    if not mine.update(status=Status.SENT, sent_at=now, smtp_response=reply[:2000], last_error="", lease_expires_at=None):
        logger.warning("Notification %s was sent but its lease had been taken over meanwhile", notification.public_id)
    logger.info("Sent notification %s on attempt %s: %s", notification.public_id, notification.attempts, reply)
    return Status.SENT


def _after_temporary_failure(notification: Notification, token: str, failure: TemporaryFailure) -> str:
    mine = Notification.objects.filter(pk=notification.pk, status=Status.SENDING, claim_token=token)
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        mine.update(status=Status.FAILED, last_error=f"Gave up after {notification.attempts} attempts: {failure}"[:2000], lease_expires_at=None)
        logger.error("Notification %s failed after %s attempts: %s", notification.public_id, notification.attempts, failure)
        return Status.FAILED
    retry_at = timezone.now() + retry_delay(notification.attempts)
    with transaction.atomic():
        if mine.update(status=Status.PENDING, due_at=retry_at, last_error=str(failure)[:2000], lease_expires_at=None):
            enqueue_delivery(notification, retry_at)
    logger.warning(
        "Notification %s attempt %s failed, retrying at %s: %s", notification.public_id, notification.attempts, retry_at, failure
    )
    return Status.PENDING


def sweep() -> int:
    """Enqueue delivery for due rows whose task was lost (a killed worker); return how many."""
    now = timezone.now()
    grace = datetime.timedelta(seconds=settings.NOTIFICATION_SWEEP_SECONDS)
    waiting_task = DBTaskResult.objects.filter(id=OuterRef("task_id"), status="READY")
    stranded = (
        Notification.objects.filter(Q(status=Status.PENDING, due_at__lte=now - grace) | Q(status=Status.SENDING, lease_expires_at__lte=now))
        .exclude(Exists(waiting_task))
        .order_by("due_at")[:500]
    )
    count = 0
    for notification in stranded:
        with transaction.atomic():
            enqueue_delivery(notification)
        count += 1
    if count:
        logger.warning("Sweep enqueued delivery again for %s notifications whose task was lost", count)
    return count
