"""Helpers for tests that follow emailed links: run the task worker, read the link from the email."""

import re

from django.core import mail
from django.db import transaction
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from tests.task_worker import database_worker

LINK = re.compile(r"https?://[^/\s]+(/(?:invitations|connect)/[^\s]+/)")


# Partner-email delivery tasks are left to the notifications tests.
TASK_MODULES = ("partnerboard.accounts.tasks.", "partnerboard.network.tasks.")


def run_tasks() -> None:
    """Claim and run the queued invitation and connection email tasks with the database worker's own steps.

    The worker's loop itself is not used: it closes the database connection
    between tasks, which on PostgreSQL would end the test's transaction.
    """
    worker = database_worker()
    while True:
        with transaction.atomic():
            ready = DBTaskResult.objects.ready().filter(
                Q(task_path__startswith=TASK_MODULES[0]) | Q(task_path__startswith=TASK_MODULES[1])
            )
            task_result = ready.get_locked()
            if task_result is None:
                return
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        task_result.refresh_from_db()
        assert task_result.status == "SUCCESSFUL", f"task {task_result.task_path} failed: {task_result.traceback}"


def link_path(message) -> str:
    """Return the path of the single-use link in an email."""
    found = LINK.search(message.body)
    assert found, f"no invitation or connection link in: {message.body!r}"
    return found.group(1)


def emailed_link(to: str) -> str:
    """Run the queued tasks and return the link path of the last email sent to `to`."""
    run_tasks()
    sent = [message for message in mail.outbox if to.lower() in [address.lower() for address in message.to]]
    assert sent, f"no email to {to}; outbox has {[message.to for message in mail.outbox]}"
    return link_path(sent[-1])
