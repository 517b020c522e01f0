import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from partnerboard.notifications import delivery

logger = logging.getLogger(__name__)


def sweep_forever(interval: float, stop: threading.Event) -> None:
    """Re-enqueue stranded notifications every `interval` seconds, on this thread's own connection."""
    while True:
        try:
            delivery.sweep()
        except DatabaseError:
            logger.exception("Notification sweep failed; trying again in %s s", interval)
        finally:
            connection.close()
        if stop.wait(interval):
            return


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (partner emails) from the database queue until stopped, and every "
        "NOTIFICATION_SWEEP_SECONDS re-enqueue due emails whose task was lost."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        sweeper = threading.Thread(
            target=sweep_forever, args=(settings.NOTIFICATION_SWEEP_SECONDS, stop), name="notification-sweep", daemon=True
        )
        sweeper.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
