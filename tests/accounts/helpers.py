"""Helpers for tests that follow emailed links: run the task worker, read the link from the email."""

import re

from django.core import mail
from django.core.management import call_command

LINK = re.compile(r"https?://[^/\s]+(/(?:invitations|connect)/[^\s]+/)")


def run_tasks() -> None:
    """Run every queued task with the real database worker, then return."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


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
