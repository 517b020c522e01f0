"""A move returns at once even while the SMTP server hangs and a worker is stuck on it."""

import socket
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from partnerboard.notifications import delivery
from partnerboard.notifications.models import Notification, Status
from partnerboard.projects.models import Stage
from partnerboard.projects.services import add_partner
from tests.notifications.conftest import use_smtp


@pytest.fixture
def stalled_smtp(settings):
    """A loopback port that accepts connections and never sends the SMTP greeting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    use_smtp(settings, listener.getsockname()[1])
    settings.EMAIL_TIMEOUT = 3
    yield listener
    listener.close()


@pytest.mark.django_db(transaction=True)
def test_move_returns_while_smtp_stalls(stalled_smtp, settings, client_for, owner, integrations, saas_partner):
    settings.NOTIFICATION_UNDO_SECONDS = 0
    card = add_partner(owner, integrations, saas_partner)
    added = Notification.objects.get(card=card)
    outcome = []

    def work():
        try:
            outcome.append(delivery.deliver(added.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    time.sleep(0.5)  # the worker is now waiting for a greeting that never comes

    started = time.monotonic()
    response = client_for(owner).post(
        reverse("projects:move", args=[integrations.team.slug, integrations.public_id, card.public_id]),
        {"stage": str(Stage.objects.get(project=integrations, name="QA").public_id), "version": 1},
        HTTP_ACCEPT="application/json",
    )
    elapsed = time.monotonic() - started
    still_stuck = worker.is_alive()
    worker.join(timeout=30)

    assert response.json()["ok"]
    assert elapsed < 1.5
    assert still_stuck
    assert outcome == [Status.PENDING]
    added.refresh_from_db()
    assert added.attempts == 1
    assert "timed out" in added.last_error
    assert Notification.objects.get(stage__name="QA").status == Status.PENDING
