"""Undo of a queued partner email: the card goes back, and nothing is sent."""

import time

import pytest
from django.urls import reverse

from partnerboard.errors import RoleRequired
from partnerboard.notifications.errors import UndoWindowClosed
from partnerboard.notifications.models import Notification, Status
from partnerboard.notifications.services import undo_notification
from partnerboard.projects.models import Activity, ActivityKind, Card, Stage
from partnerboard.projects.services import add_partner, move_card
from tests.notifications.conftest import run_worker


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def move_url(card):
    return reverse("projects:move", args=[card.team.slug, card.project.public_id, card.public_id])


def undo_url(notification):
    return reverse("notifications:undo", args=[notification.team.slug, notification.public_id])


@pytest.fixture
def card_in_meetings(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    return move_card(owner, card, stage(integrations, "Meetings scheduled"))


@pytest.mark.django_db(transaction=True)
def test_undo_within_window_sends_nothing(smtp_server, settings, member, integrations, card_in_meetings):
    settings.NOTIFICATION_UNDO_SECONDS = 2
    card = move_card(member, card_in_meetings, stage(integrations, "QA"))
    notification = Notification.objects.get(card=card, status=Status.PENDING)

    undo_notification(member, notification)
    time.sleep(2.2)
    run_worker()

    card.refresh_from_db()
    assert card.stage.name == "Meetings scheduled"
    notification.refresh_from_db()
    assert notification.status == Status.CANCELLED
    assert notification.cancelled_at is not None
    assert not Notification.objects.filter(status__in=[Status.PENDING, Status.SENT]).exists()
    assert smtp_server.messages == []
    last = Activity.objects.filter(card=card).last()
    assert (last.kind, last.from_stage.name, last.to_stage.name, last.actor) == (ActivityKind.MOVED, "QA", "Meetings scheduled", member)


def test_undo_back_into_notifying_stage_queues_nothing(member, integrations, card_in_meetings):
    card = move_card(member, card_in_meetings, stage(integrations, "QA"))
    notification = Notification.objects.get(card=card, status=Status.PENDING)

    undo_notification(member, notification)

    # Meetings scheduled notifies, yet going back to it by undo owes the partner no email.
    assert not Notification.objects.filter(status=Status.PENDING).exists()
    assert Card.objects.get(pk=card.pk).stage.name == "Meetings scheduled"


def test_undo_after_window_rejected(owner, integrations, card_in_meetings):
    notification = Notification.objects.get(card=card_in_meetings, status=Status.PENDING)
    Notification.objects.filter(pk=notification.pk).update(due_at=notification.created_at)

    with pytest.raises(UndoWindowClosed) as raised:
        undo_notification(owner, notification)

    assert "Initech" in str(raised.value)
    assert Card.objects.get(pk=card_in_meetings.pk).stage.name == "Meetings scheduled"


def test_undo_of_add_cancels_email_only(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    notification = Notification.objects.get(card=card)

    undo_notification(owner, notification)

    notification.refresh_from_db()
    assert notification.status == Status.CANCELLED
    assert Card.objects.get(pk=card.pk).stage.name == "Request sent"


def test_viewer_cannot_undo(viewer, integrations, card_in_meetings):
    notification = Notification.objects.get(card=card_in_meetings, status=Status.PENDING)

    with pytest.raises(RoleRequired):
        undo_notification(viewer, notification)


def test_json_move_carries_pending_email(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    response = client_for(owner).post(
        move_url(card), {"stage": str(stage(integrations, "QA").public_id), "version": 1}, HTTP_ACCEPT="application/json"
    )

    pending = response.json()["notification"]
    notification = Notification.objects.get(card=card, status=Status.PENDING)
    assert pending["id"] == str(notification.public_id)
    assert pending["partner"] == "Initech"
    assert 55 <= pending["seconds_left"] <= 60
    assert pending["undo_url"] == undo_url(notification)


def test_json_move_to_silent_stage_has_no_email(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    response = client_for(owner).post(
        move_url(card), {"stage": str(stage(integrations, "Specifications").public_id), "version": 1}, HTTP_ACCEPT="application/json"
    )

    assert response.json()["notification"] is None


def test_board_offers_undo_form_without_javascript(client_for, owner, integrations, card_in_meetings):
    client = client_for(owner)
    response = client.post(move_url(card_in_meetings), {"stage": str(stage(integrations, "QA").public_id), "version": 2}, follow=True)

    html = response.content.decode()
    notification = Notification.objects.get(card=card_in_meetings, status=Status.PENDING)
    assert "Email to Initech in" in html
    assert f'action="{undo_url(notification)}"' in html

    response = client.post(undo_url(notification), follow=True)

    assert "Put Initech back and cancelled the email." in response.content.decode()
    assert Card.objects.get(pk=card_in_meetings.pk).stage.name == "Meetings scheduled"


def test_undo_view_forbidden_for_viewer(client_for, viewer, integrations, card_in_meetings):
    notification = Notification.objects.get(card=card_in_meetings, status=Status.PENDING)

    response = client_for(viewer).post(undo_url(notification))

    assert response.status_code == 403
    assert Notification.objects.get(pk=notification.pk).status == Status.PENDING


def test_undo_view_hides_other_team(client_for, outsider, integrations, card_in_meetings):
    notification = Notification.objects.get(card=card_in_meetings, status=Status.PENDING)

    response = client_for(outsider).post(undo_url(notification))

    assert response.status_code == 404
