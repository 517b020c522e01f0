"""Background tasks of the notifications app, run by `partnerboard worker`."""

from django_tasks import task

from partnerboard.notifications import delivery


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one notification's email if it is still due; safe to run more than once."""
    return delivery.deliver(notification_id)
