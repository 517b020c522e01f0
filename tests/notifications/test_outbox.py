"""Which changes owe the partner an email, and that the email's task is queued with it."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from partnerboard.accounts.models import Kind
from partnerboard.notifications.models import Notification, NotificationKind, Status
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects import errors
from partnerboard.projects.models import Card, Stage
from partnerboard.projects.services import add_partner, move_card


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


@pytest.fixture
def card(owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    return add_partner(owner, integrations, saas_partner)


def test_move_queues_task_after_undo_delay(settings, owner, integrations, card):
    settings.NOTIFICATION_UNDO_SECONDS = 45

    move_card(owner, card, stage(integrations, "QA"))

    notification = Notification.objects.get(card=card)
    assert notification.kind == NotificationKind.STAGE
    task = DBTaskResult.objects.get()
    assert str(task.id) == str(notification.task_id)
    assert task.task_path == "partnerboard.notifications.tasks.deliver_notification"
    assert task.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert task.run_after == notification.due_at
    assert abs((notification.due_at - notification.created_at) - datetime.timedelta(seconds=45)) < datetime.timedelta(seconds=1)


@pytest.mark.parametrize("silent_stage", ["Not a fit", "Stale", "Specifications", "Post-launch activities"])
def test_silent_stage_queues_nothing(owner, integrations, card, silent_stage):
    move_card(owner, card, stage(integrations, silent_stage))

    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_reorder_queues_nothing(owner, integrations, saas_partner, card, team):
    from partnerboard.accounts.models import Kind
    from partnerboard.partners.services import PartnerData, create_partner

    other = add_partner(owner, integrations, create_partner(owner, team, PartnerData(name="Vandelay", kind=Kind.SAAS)))

    move_card(owner, card, card.stage, after=other)
    move_card(owner, card, card.stage, to_top=True)

    assert Card.objects.get(pk=card.pk).stage.name == "Request sent"
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_move_into_same_stage_queues_nothing(owner, integrations, card):
    qa = stage(integrations, "QA")
    card = move_card(owner, card, qa)

    move_card(owner, card, qa)

    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_rejected_move_queues_nothing(owner, integrations, card):
    move_card(owner, card, stage(integrations, "Meetings scheduled"))

    with pytest.raises(errors.CardMovedMeanwhile):
        move_card(owner, card, stage(integrations, "QA"), expected_version=1)

    assert list(Notification.objects.values_list("stage__name", flat=True)) == ["Meetings scheduled"]
    assert DBTaskResult.objects.count() == 1


def test_leaving_stage_cancels_waiting_email(owner, integrations, card):
    card = move_card(owner, card, stage(integrations, "QA"))

    move_card(owner, card, stage(integrations, "Not a fit"))

    assert Notification.objects.get().status == Status.CANCELLED


def test_partner_without_contacts_owes_no_email(owner, team, integrations):
    partner = create_partner(owner, team, PartnerData(name="Globex Cloud", kind=Kind.SAAS))

    card = add_partner(owner, integrations, partner)
    move_card(owner, card, Stage.objects.get(project=integrations, name="QA"))

    assert not Notification.objects.filter(partner=partner).exists()
    assert not DBTaskResult.objects.exists()
