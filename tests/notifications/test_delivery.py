"""Delivery through `partnerboard worker`'s task loop to a real SMTP server on loopback."""

import time
from email.utils import getaddresses

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerboard.accounts.models import Kind
from partnerboard.notifications import delivery
from partnerboard.notifications.models import Notification, Status
from partnerboard.partners.models import Contact
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Stage
from partnerboard.projects.services import add_partner, move_card
from tests.notifications.conftest import run_worker
from tests.notifications.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def test_added_email_arrives_with_headers(smtp_server, no_undo_delay, settings, member, integrations, saas_partner):
    settings.PARTNERBOARD_FROM_EMAIL = "partners@partnerboard.example"
    member.first_name, member.last_name = "Max", "Mustermann"
    member.save()

    card = add_partner(member, integrations, saas_partner)
    run_worker()

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Acme Analytics added you to its Integrations project"
    assert getaddresses([message["From"]]) == [("Acme Analytics", "partners@partnerboard.example")]
    assert getaddresses([message["To"]]) == [("Peter Gibbons", "peter@initech.example")]
    assert message["Cc"] is None
    assert getaddresses([message["Reply-To"]]) == [("Max Mustermann", "max@acme.example")]
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Acme Analytics added Initech to its Integrations project." in text
    assert "Unsubscribe:" in text
    assert "Unsubscribe</a>" in html
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["peter@initech.example"]

    notification = Notification.objects.get(card=card)
    assert notification.status == Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.smtp_response.startswith("250 2.0.0 Ok: queued as TEST")


def test_stage_email_subject_names_stage(smtp_server, no_undo_delay, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    card = add_partner(owner, integrations, saas_partner)

    move_card(owner, card, stage(integrations, "QA"))
    run_worker()

    assert [message["Subject"] for message in smtp_server.messages] == ["Integrations with Acme Analytics: QA"]
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "The integration between Acme Analytics and Initech is being tested." in text


def test_internal_project_email_has_no_link(smtp_server, no_undo_delay, owner, co_marketing, saas_partner):
    add_partner(owner, co_marketing, saas_partner)
    run_worker()

    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "See where" not in text
    assert "/projects/" not in text


def test_server_down_then_up_delivers_once(unused_smtp_port, no_undo_delay, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    run_worker()
    notification = Notification.objects.get(card=card)
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert "Connection" in notification.last_error or "refused" in notification.last_error.lower()

    server = SMTPServer(unused_smtp_port).start()
    try:
        time.sleep(1.2)  # the first retry waits NOTIFICATION_RETRY_SECONDS
        run_worker()
        run_worker()
    finally:
        server.stop()

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert len(server.messages) == 1


def test_retries_stop_at_max_attempts(unused_smtp_port, no_undo_delay, settings, owner, integrations, saas_partner):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    card = add_partner(owner, integrations, saas_partner)

    run_worker()
    time.sleep(1.2)
    run_worker()

    notification = Notification.objects.get(card=card)
    assert notification.status == Status.FAILED
    assert notification.attempts == 2
    assert notification.last_error.startswith("Gave up after 2 attempts")


def test_permanent_rejection_not_retried(smtp_server, no_undo_delay, owner, integrations, saas_partner):
    smtp_server.handler.reply = "550 5.1.1 Mailbox unavailable"
    card = add_partner(owner, integrations, saas_partner)

    run_worker()
    time.sleep(1.2)
    run_worker()

    notification = Notification.objects.get(card=card)
    assert notification.status == Status.FAILED
    assert notification.attempts == 1
    assert "550" in notification.last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_temporary_rejection_retried(smtp_server, no_undo_delay, owner, integrations, saas_partner):
    smtp_server.handler.reply = "451 4.7.1 Greylisted, try again later"
    card = add_partner(owner, integrations, saas_partner)

    run_worker()
    notification = Notification.objects.get(card=card)
    assert notification.status == Status.PENDING
    assert "451" in notification.last_error

    smtp_server.handler.reply = None
    time.sleep(1.2)
    run_worker()

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(smtp_server.messages) == 1


def test_rollback_after_move_sends_nothing(smtp_server, no_undo_delay, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    card = add_partner(owner, integrations, saas_partner)

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            move_card(owner, card, stage(integrations, "QA"))
            raise RuntimeError("the surrounding change failed")
    run_worker()

    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert smtp_server.messages == []


def test_double_submitted_move_sends_one_email(smtp_server, no_undo_delay, client_for, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    card = add_partner(owner, integrations, saas_partner)
    url = f"/t/{integrations.team.slug}/projects/{integrations.public_id}/cards/{card.public_id}/move/"
    form = {"stage": str(stage(integrations, "QA").public_id), "version": 1, "request_key": "7d5c0f8e-3f7e-4d8e-9a55-1c0b7f1f2a10"}
    client = client_for(owner)

    first = client.post(url, form, HTTP_ACCEPT="application/json")
    second = client.post(url, form, HTTP_ACCEPT="application/json")
    run_worker()

    assert first.json()["ok"]
    assert second.json()["ok"]
    assert Notification.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_agency_on_integrations_sends_nothing(smtp_server, no_undo_delay, owner, integrations, agency_partner):
    from partnerboard.projects.errors import WrongPartnerKind

    with pytest.raises(WrongPartnerKind):
        add_partner(owner, integrations, agency_partner)
    run_worker()

    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_contact_name_with_line_break(smtp_server, no_undo_delay, owner, team, integrations):
    partner = create_partner(
        owner,
        team,
        PartnerData(
            name="Initrode\r\nBcc: boss@initrode.example",
            kind=Kind.SAAS,
            contacts=[('Bill "Lumbergh"\r\nBcc: spy@evil.example, Ünïcode', "bill@initrode.example")],
        ),
    )
    # Whatever the partner form keeps of the name, the snapshot is what the email uses.
    Contact.objects.filter(partner=partner).update(name='Bill "Lumbergh"\r\nBcc: spy@evil.example, Ünïcode')

    add_partner(owner, integrations, partner)
    run_worker()

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    envelope = smtp_server.handler.envelopes[0]
    assert envelope.rcpt_tos == ["bill@initrode.example"]
    assert message["Bcc"] is None
    assert "spy@evil.example" not in envelope.rcpt_tos
    addresses = getaddresses([message["To"]])
    assert len(addresses) == 1
    assert addresses[0][1] == "bill@initrode.example"
    assert "Ünïcode" in addresses[0][0]
    assert not [name for name in message.keys() if name.lower() == "bcc"]


def test_team_member_never_a_recipient(smtp_server, no_undo_delay, owner, member, team, integrations):
    partner = create_partner(
        owner,
        team,
        PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter", "peter@initech.example"), ("Max", "max@acme.example")]),
    )

    add_partner(owner, integrations, partner)
    run_worker()

    envelope = smtp_server.handler.envelopes[0]
    assert envelope.rcpt_tos == ["peter@initech.example"]


def test_team_rate_limit_postpones(smtp_server, no_undo_delay, settings, owner, team, integrations):
    settings.PARTNERBOARD_TEAM_EMAILS_PER_HOUR = 2
    for number in range(3):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS, contacts=[("C", f"c{number}@p.example")]))
        add_partner(owner, integrations, partner)

    run_worker()

    assert len(smtp_server.messages) == 2
    waiting = Notification.objects.get(status=Status.PENDING)
    assert waiting.attempts == 0
    assert (waiting.due_at - waiting.created_at).total_seconds() > 3000


def test_sweep_requeues_lost_task(smtp_server, no_undo_delay, settings, owner, integrations, saas_partner):
    settings.NOTIFICATION_SWEEP_SECONDS = 1
    card = add_partner(owner, integrations, saas_partner)
    # A worker killed after taking the task leaves it "RUNNING" for ever.
    DBTaskResult.objects.update(status="RUNNING")

    run_worker()
    assert smtp_server.messages == []
    time.sleep(1.1)
    assert delivery.sweep() == 1
    run_worker()

    assert Notification.objects.get(card=card).status == Status.SENT
    assert len(smtp_server.messages) == 1


def test_retry_dropped_after_card_moves_on(unused_smtp_port, no_undo_delay, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    card = add_partner(owner, integrations, saas_partner)
    card = move_card(owner, card, stage(integrations, "QA"))
    run_worker()
    qa_email = Notification.objects.get(card=card)
    # As a worker killed mid-send leaves it: "sending", which a move does not cancel.
    Notification.objects.filter(pk=qa_email.pk).update(status=Status.SENDING, lease_expires_at=timezone.now())

    move_card(owner, card, stage(integrations, "Specifications"))
    server = SMTPServer(unused_smtp_port).start()
    try:
        time.sleep(1.2)
        run_worker()
    finally:
        server.stop()

    qa_email.refresh_from_db()
    assert qa_email.status == Status.CANCELLED
    assert server.messages == []


def test_one_refused_recipient_recorded(smtp_server, no_undo_delay, owner, team, integrations):
    smtp_server.handler.refused_addresses = {"bill@initech.example"}
    partner = create_partner(
        owner, team, PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter", "peter@initech.example"), ("Bill", "bill@initech.example")])
    )

    card = add_partner(owner, integrations, partner)
    run_worker()

    assert smtp_server.handler.envelopes[0].rcpt_tos == ["peter@initech.example"]
    notification = Notification.objects.get(card=card)
    assert notification.status == Status.SENT
    assert "refused Bill <bill@initech.example>: 550 5.1.1 No such user here" in notification.smtp_response


def test_team_name_with_quotes_and_line_break(smtp_server, no_undo_delay, owner, team, integrations, saas_partner):
    team.name = 'Ünïcorn "Labs"\r\nBcc: spy@evil.example'
    team.save()

    add_partner(owner, integrations, saas_partner)
    run_worker()

    message = smtp_server.messages[0]
    assert getaddresses([message["From"]]) == [('Ünïcorn "Labs" Bcc: spy@evil.example', "partnerboard@localhost")]
    assert message["Subject"].strip() == 'Ünïcorn "Labs" Bcc: spy@evil.example added you to its Integrations project'
    assert message["Bcc"] is None
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["peter@initech.example"]


def test_linked_partner_email_links_shared_page(smtp_server, no_undo_delay, owner, integrations, saas_partner, outsider, other_team):
    saas_partner.linked_team = other_team
    saas_partner.save()

    card = add_partner(owner, integrations, saas_partner)
    run_worker()

    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert f"/t/{other_team.slug}/shared/{card.public_id}/" in text


def test_unlinked_partner_email_links_site(smtp_server, no_undo_delay, owner, integrations, saas_partner):
    add_partner(owner, integrations, saas_partner)
    run_worker()

    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "See where Integrations stands: http" in text
    assert "/shared/" not in text
