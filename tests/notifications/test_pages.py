"""The email log, retry, stage sentences with preview, and the unsubscribe page."""

import pytest
from django.urls import reverse

from partnerboard.accounts.models import Kind
from partnerboard.notifications import emails
from partnerboard.notifications.models import Notification, Status
from partnerboard.partners.models import Contact
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Stage
from partnerboard.projects.services import add_partner, move_card


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


@pytest.fixture
def failed(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    notification = Notification.objects.get(card=card)
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, attempts=1, last_error="550 5.1.1 Mailbox unavailable")
    notification.refresh_from_db()
    return notification


def retry_url(notification):
    return reverse("notifications:retry", args=[notification.team.slug, notification.public_id])


def test_project_log_lists_emails(client_for, viewer, integrations, failed):
    response = client_for(viewer).get(reverse("notifications:project_log", args=[integrations.team.slug, integrations.public_id]))

    html = response.content.decode()
    assert "peter@initech.example" in html
    assert "Failed" in html
    assert "550 5.1.1 Mailbox unavailable" in html


def test_partner_log_lists_emails(client_for, viewer, saas_partner, failed):
    response = client_for(viewer).get(reverse("notifications:partner_log", args=[saas_partner.team.slug, saas_partner.public_id]))

    assert "peter@initech.example" in response.content.decode()


def test_detail_shows_rendered_email(client_for, viewer, failed):
    response = client_for(viewer).get(reverse("notifications:detail", args=[failed.team.slug, failed.public_id]))

    html = response.content.decode()
    assert "Acme Analytics added you to its Integrations project" in html
    assert "Peter Gibbons &lt;peter@initech.example&gt;" in html


def test_log_hidden_from_other_team(client_for, outsider, integrations, failed):
    response = client_for(outsider).get(reverse("notifications:project_log", args=[integrations.team.slug, integrations.public_id]))

    assert response.status_code == 404


def test_member_retries_failed_email(client_for, member, failed):
    response = client_for(member).post(retry_url(failed))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.PENDING
    assert failed.attempts == 0


def test_viewer_cannot_retry(client_for, viewer, failed):
    response = client_for(viewer).post(retry_url(failed))

    assert response.status_code == 403
    assert Notification.objects.get(pk=failed.pk).status == Status.FAILED


def test_retry_of_sent_email_rejected(client_for, member, failed):
    Notification.objects.filter(pk=failed.pk).update(status=Status.SENT)

    response = client_for(member).post(retry_url(failed), follow=True)

    assert "only a failed email can be sent again" in response.content.decode()
    assert Notification.objects.get(pk=failed.pk).status == Status.SENT


def test_stage_sentence_edit_changes_preview(client_for, admin, integrations):
    url = reverse("notifications:stage_emails", args=[integrations.team.slug, integrations.public_id])
    qa = stage(integrations, "QA")
    client = client_for(admin)

    response = client.post(url, {"stage": str(qa.public_id), "sentence": "{team} is testing with {partner}\r\nnow."}, follow=True)

    qa.refresh_from_db()
    assert qa.email_sentence == "{team} is testing with {partner} now."
    html = response.content.decode()
    assert "Integrations with Acme Analytics: QA" in html
    assert "Acme Analytics is testing with Your partner now." in html


def test_member_cannot_edit_sentence(client_for, member, integrations):
    url = reverse("notifications:stage_emails", args=[integrations.team.slug, integrations.public_id])

    response = client_for(member).post(url, {"stage": str(stage(integrations, "QA").public_id), "sentence": "x"})

    assert response.status_code == 403
    assert stage(integrations, "QA").email_sentence == ""


def test_settings_page_links_email_pages(client_for, owner, integrations):
    response = client_for(owner).get(reverse("projects:settings", args=[integrations.team.slug, integrations.public_id]))

    html = response.content.decode()
    assert reverse("notifications:stage_emails", args=[integrations.team.slug, integrations.public_id]) in html
    assert reverse("notifications:project_log", args=[integrations.team.slug, integrations.public_id]) in html


def test_every_starred_stage_has_own_sentence():
    from partnerboard.notifications.sentences import DEFAULT_SENTENCES
    from partnerboard.projects.catalog import TEMPLATES

    starred = {spec.name for template in TEMPLATES for spec in template.stages if spec.notifies}
    assert starred - set(DEFAULT_SENTENCES) == set()


def unsubscribe_url(notification):
    return reverse("notifications:unsubscribe", args=[notification.team.slug, emails.unsubscribe_token(notification)])


def test_one_click_unsubscribe(client, owner, team, integrations, saas_partner, other_team, outsider):
    notification = Notification.objects.get(card=add_partner(owner, integrations, saas_partner))
    # The same address at another team's partner is not that team's to unsubscribe.
    foreign = create_partner(outsider, other_team, PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter", "peter@initech.example")]))

    response = client.post(unsubscribe_url(notification), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Contact.objects.get(partner=saas_partner).unsubscribed_at is not None
    assert Contact.objects.get(partner=foreign).unsubscribed_at is None


def test_partner_page_shows_unsubscribed(client, client_for, owner, team, integrations, saas_partner):
    notification = Notification.objects.get(card=add_partner(owner, integrations, saas_partner))
    client.post(unsubscribe_url(notification), {"address": "peter@initech.example"})

    response = client_for(owner).get(reverse("partners:detail", args=[team.slug, saas_partner.public_id]))

    assert "unsubscribed" in response.content.decode()


def test_unsubscribed_contact_gets_no_later_email(client, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    client.post(unsubscribe_url(Notification.objects.get(card=card)), {"List-Unsubscribe": "One-Click"})

    move_card(owner, card, stage(integrations, "QA"))

    assert not Notification.objects.filter(stage__name="QA").exists()


def test_unsubscribe_with_several_addresses_asks_which(client, owner, team, integrations):
    partner = create_partner(
        owner, team, PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter", "peter@initech.example"), ("Bill", "bill@initech.example")])
    )
    notification = Notification.objects.get(card=add_partner(owner, integrations, partner))

    response = client.post(unsubscribe_url(notification), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 400
    assert "bill@initech.example" in response.content.decode()
    assert not Contact.objects.filter(unsubscribed_at__isnull=False).exists()


def test_tampered_unsubscribe_token_is_404(client, owner, integrations, saas_partner):
    notification = Notification.objects.get(card=add_partner(owner, integrations, saas_partner))
    url = unsubscribe_url(notification)

    response = client.post(url[:-3] + "xx/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 404
    assert Contact.objects.get(partner=saas_partner).unsubscribed_at is None


def test_partner_page_links_email_log(client_for, viewer, team, saas_partner):
    response = client_for(viewer).get(reverse("partners:detail", args=[team.slug, saas_partner.public_id]))

    assert reverse("notifications:partner_log", args=[team.slug, saas_partner.public_id]) in response.content.decode()
