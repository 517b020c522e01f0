"""Connecting a partner's own team: request, accept (with signup), revoke, disconnect from either side."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnerboard.accounts.models import Kind, Membership, Role, Team, User
from partnerboard.errors import RoleRequired
from partnerboard.network import services
from partnerboard.network.models import Connection
from partnerboard.partners.models import Partner
from tests.accounts.helpers import emailed_link, run_tasks
from tests.conftest import make_user
from tests.network.fixtures import connect


def request_url(team, partner):
    return f"/t/{team.slug}/connections/request/{partner.public_id}/"


def test_request_emails_contact_from_task(client_for, admin, team, saas_partner):
    response = client_for(admin).post(request_url(team, saas_partner), {"email": "PETER@initech.example"})

    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.email == "peter@initech.example"
    assert connection.invited_by == admin
    assert mail.outbox == []
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["peter@initech.example"]
    assert message.subject == "Acme Analytics invites your team to connect on Partnerboard"
    assert f"/connect/{connection.public_id}/" in message.body


def test_request_needs_a_contact_address(client_for, admin, team, saas_partner):
    response = client_for(admin).post(request_url(team, saas_partner), {"email": "someone@else.example"}, follow=True)

    assert "someone@else.example is not a contact of Initech; add it to the partner&#x27;s contacts first." in (
        response.content.decode()
    )
    assert not Connection.objects.exists()


def test_member_cannot_request(client_for, member, team, saas_partner):
    response = client_for(member).post(request_url(team, saas_partner), {"email": "peter@initech.example"})

    assert response.status_code == 403
    assert not Connection.objects.exists()


def test_partner_page_offers_connection(client_for, admin, team, saas_partner):
    page = client_for(admin).get(f"/t/{team.slug}/partners/{saas_partner.public_id}/").content.decode()

    assert "Send connection request" in page
    assert 'value="peter@initech.example"' in page


def test_signup_creates_partner_team_of_partner_kind(client, owner, team, agency_partner):
    services.request_connection(owner, agency_partner, "gavin@hooli.example")
    path = emailed_link("gavin@hooli.example")
    assert client.get(path).status_code == 200

    form = client.get(f"/accounts/signup/?next={path}").content.decode()
    assert 'value="Hooli Studio"' in form
    assert 'name="team_kind"' not in form
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "gavin@hooli.example",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "team_name": "Hooli Studio",
            "next": path,
        },
    )
    assert signup.status_code == 302
    new_team = Team.objects.get(name="Hooli Studio")
    assert new_team.kind == Kind.AGENCY
    agency_partner.refresh_from_db()
    assert agency_partner.linked_team is None

    accept_page = client.get(path).content.decode()
    assert f'value="{new_team.slug}"' in accept_page
    assert "A new team: Hooli Studio" not in accept_page
    response = client.post(path, {"team": new_team.slug})

    assert response.status_code == 302
    assert response["Location"] == f"/t/{new_team.slug}/projects/"
    agency_partner.refresh_from_db()
    assert agency_partner.linked_team == new_team
    connection = Connection.objects.get()
    assert connection.linked_team == new_team
    assert connection.accepted_by.email == "gavin@hooli.example"


def test_signed_in_contact_accepts_with_new_team(client, owner, saas_partner, partner_contact):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    client.force_login(partner_contact)

    response = client.post(path, {"team": ""})

    assert response.status_code == 302
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team.name == "Initech"
    assert saas_partner.linked_team.kind == Kind.SAAS
    assert Membership.objects.get(user=partner_contact).role == Role.OWNER


def test_link_works_once(client, owner, saas_partner, partner_contact):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    client.force_login(partner_contact)
    client.post(path, {"team": ""})

    response = client.post(path, {"team": ""})

    assert response.status_code == 410
    assert "has already been used" in response.content.decode()
    assert Team.objects.filter(name="Initech").count() == 1


def test_expired_request_rejected(client, owner, saas_partner, partner_contact):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    Connection.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(partner_contact)

    response = client.post(path, {"team": ""})

    assert response.status_code == 410
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None


def test_withdrawn_request_rejected(client_for, client, owner, team, saas_partner, partner_contact):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    connection = Connection.objects.get()
    assert client_for(owner).post(f"/t/{team.slug}/connections/{connection.public_id}/revoke/").status_code == 302
    client.force_login(partner_contact)

    response = client.post(path, {"team": ""})

    assert response.status_code == 410
    assert "withdrew this connection request" in response.content.decode()


def test_other_address_cannot_accept(client, owner, saas_partner, outsider):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    client.force_login(outsider)

    response = client.post(path, {"team": "globex"})

    assert response.status_code == 403
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None


def test_forged_token_not_found(client, owner, saas_partner, partner_contact):
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    client.force_login(partner_contact)

    assert client.post(path.rstrip("/")[:-3] + "xyz/", {"team": ""}).status_code == 404
    assert not Team.objects.filter(name="Initech").exists()


def test_accept_into_team_needs_admin_role(client, owner, saas_partner, outsider, other_team):
    viewer_there = make_user("peter@initech.example")
    Membership.objects.create(team=other_team, user=viewer_there, role=Role.VIEWER)
    services.request_connection(owner, saas_partner, "peter@initech.example")
    path = emailed_link("peter@initech.example")
    client.force_login(viewer_there)

    assert f'value="{other_team.slug}"' not in client.get(path).content.decode()
    response = client.post(path, {"team": other_team.slug})

    assert response.status_code == 400
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None


def test_team_cannot_connect_to_itself(owner, team, saas_partner):
    saas_partner.contacts.create(team=team, email="olivia@acme.example")
    services.request_connection(owner, saas_partner, "olivia@acme.example")
    path = emailed_link("olivia@acme.example")
    connection_id, token = path.strip("/").split("/")[1:3]

    with pytest.raises(services.ConnectToOwnTeam):
        services.accept_connection(owner, Connection.objects.get(public_id=connection_id), token, team)
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None


def test_owner_side_disconnects(client_for, owner, team, saas_partner, partner_team):
    response = client_for(owner).post(f"/t/{team.slug}/connections/disconnect/{saas_partner.public_id}/")

    assert response.status_code == 302
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None
    connection = Connection.objects.get()
    assert connection.disconnected_by == owner


def test_partner_side_disconnects(client_for, partner_contact, saas_partner, partner_team):
    page = client_for(partner_contact).get(f"/t/{partner_team.slug}/connections/").content.decode()
    assert "Acme Analytics" in page

    response = client_for(partner_contact).post(
        f"/t/{partner_team.slug}/connections/disconnect/{saas_partner.public_id}/"
    )

    assert response.status_code == 302
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team is None


def test_partner_member_cannot_disconnect(client_for, partner_user, saas_partner, partner_team):
    response = client_for(partner_user).post(f"/t/{partner_team.slug}/connections/disconnect/{saas_partner.public_id}/")

    assert response.status_code == 403
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team == partner_team
    with pytest.raises(RoleRequired):
        services.disconnect(partner_user, saas_partner)


def test_outsider_cannot_disconnect(client_for, outsider, other_team, saas_partner, partner_team):
    response = client_for(outsider).post(f"/t/{other_team.slug}/connections/disconnect/{saas_partner.public_id}/")

    assert response.status_code == 404
    saas_partner.refresh_from_db()
    assert saas_partner.linked_team == partner_team


def test_reconnect_after_disconnect(owner, saas_partner, partner_team, partner_contact):
    services.disconnect(owner, saas_partner)

    linked = connect(owner, saas_partner, partner_contact, partner_team)

    assert linked == partner_team
    assert Partner.objects.get(pk=saas_partner.pk).linked_team == partner_team
    assert User.objects.filter(email="peter@initech.example").count() == 1


def test_requests_rate_limited_per_address(owner, saas_partner):
    for _ in range(3):
        services.request_connection(owner, saas_partner, "peter@initech.example")

    with pytest.raises(services.ConnectionLimitReached) as raised:
        services.request_connection(owner, saas_partner, "Peter@Initech.example")

    assert str(raised.value) == (
        "peter@initech.example has received 3 connection requests in the last 24 hours, the maximum; try again tomorrow."
    )
    assert Connection.objects.count() == 3
    assert Connection.objects.filter(revoked_at__isnull=True).count() == 1
