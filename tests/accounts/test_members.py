"""Roles, role changes, removal and the last-owner rule, through the Members page and the services."""

import pytest

from partnerboard.accounts.models import Membership, Role, Team
from partnerboard.accounts.services import change_role, delete_team, remove_member, transfer_ownership
from partnerboard.errors import RoleRequired
from partnerboard.accounts.services import LastOwner
from partnerboard.notifications.models import Notification, Status
from partnerboard.partners.models import Partner
from partnerboard.projects.services import add_partner


def membership_of(user, team):
    return Membership.objects.get(user=user, team=team)


def test_members_page_lists_roles(client_for, team, owner, admin, member, viewer):
    response = client_for(viewer).get(f"/t/{team.slug}/members/")

    assert response.status_code == 200
    page = response.content.decode()
    for email in ["olivia@acme.example", "adam@acme.example", "max@acme.example", "vera@acme.example"]:
        assert email in page
    assert 'id="invite-form"' not in page
    assert 'href="/t/acme-analytics/members/"' in page


def test_admin_sees_invite_form(client_for, team, admin):
    page = client_for(admin).get(f"/t/{team.slug}/members/").content.decode()

    assert 'id="invite-form"' in page
    assert '<option value="owner"' not in page


def test_last_owner_cannot_step_down(owner, team):
    with pytest.raises(LastOwner) as raised:
        change_role(owner, membership_of(owner, team), Role.ADMIN)

    assert str(raised.value) == (
        "olivia@acme.example is the only owner of Acme Analytics, so you cannot change their role; "
        "make another member owner first."
    )
    assert membership_of(owner, team).role == Role.OWNER


def test_last_owner_cannot_leave(client_for, owner, team):
    target = membership_of(owner, team)

    response = client_for(owner).post(f"/t/{team.slug}/members/{target.public_id}/remove/", follow=True)

    assert "is the only owner of Acme Analytics, so you cannot leave the team" in response.content.decode()
    assert Membership.objects.filter(pk=target.pk).exists()


def test_second_owner_lets_first_step_down(owner, team, admin):
    change_role(owner, membership_of(admin, team), Role.OWNER)

    change_role(owner, membership_of(owner, team), Role.VIEWER)

    assert membership_of(owner, team).role == Role.VIEWER
    assert membership_of(admin, team).role == Role.OWNER


def test_admin_cannot_touch_owner(client_for, owner, admin, team):
    target = membership_of(owner, team)
    client = client_for(admin)

    demote = client.post(f"/t/{team.slug}/members/{target.public_id}/role/", {"role": "viewer"})
    remove = client.post(f"/t/{team.slug}/members/{target.public_id}/remove/")

    assert demote.status_code == 403
    assert remove.status_code == 403
    assert membership_of(owner, team).role == Role.OWNER
    with pytest.raises(RoleRequired):
        remove_member(admin, target)
    with pytest.raises(RoleRequired):
        change_role(admin, membership_of(admin, team), Role.OWNER)


def test_admin_changes_member_role(client_for, admin, member, team):
    target = membership_of(member, team)

    response = client_for(admin).post(f"/t/{team.slug}/members/{target.public_id}/role/", {"role": "viewer"})

    assert response.status_code == 302
    assert membership_of(member, team).role == Role.VIEWER


def test_member_cannot_change_roles(client_for, member, viewer, team):
    target = membership_of(viewer, team)

    response = client_for(member).post(f"/t/{team.slug}/members/{target.public_id}/role/", {"role": "admin"})

    assert response.status_code == 403
    assert membership_of(viewer, team).role == Role.VIEWER


def test_demotion_ends_write_access_at_once(client_for, owner, member, team):
    client = client_for(member)
    assert client.get(f"/t/{team.slug}/partners/new/").status_code == 200

    change_role(owner, membership_of(member, team), Role.VIEWER)

    assert client.get(f"/t/{team.slug}/partners/new/").status_code == 403
    assert client.post(f"/t/{team.slug}/partners/new/", {"name": "Umbrella", "kind": "saas"}).status_code == 403
    assert not Partner.objects.filter(name="Umbrella").exists()


def test_removal_ends_access_at_once(client_for, owner, member, team, integrations):
    client = client_for(member)
    assert client.get(f"/t/{team.slug}/projects/{integrations.public_id}/").status_code == 200
    target = membership_of(member, team)

    response = client_for(owner).post(f"/t/{team.slug}/members/{target.public_id}/remove/")

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()
    client.force_login(member)
    assert client.get(f"/t/{team.slug}/projects/{integrations.public_id}/").status_code == 404
    assert client.get(f"/t/{team.slug}/projects/").status_code == 404


def test_member_can_leave(client_for, member, team):
    target = membership_of(member, team)

    response = client_for(member).post(f"/t/{team.slug}/members/{target.public_id}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_removed_partner_member_dropped_from_pending_emails(
    owner, integrations, saas_partner, partner_team, partner_contact, partner_user
):
    card = add_partner(owner, integrations, saas_partner)
    pending = Notification.objects.get(card=card)
    pending.recipients = pending.recipients + [{"name": "Pat", "email": "Pat@Initech.example"}]
    pending.save()
    sent = Notification.objects.create(
        team=pending.team,
        project=pending.project,
        partner=pending.partner,
        card=card,
        stage=pending.stage,
        kind=pending.kind,
        recipients=[{"name": "Pat", "email": "pat@initech.example"}],
        status=Status.SENT,
        due_at=pending.due_at,
    )

    remove_member(partner_contact, membership_of(partner_user, partner_team))

    pending.refresh_from_db()
    assert pending.recipients == [{"name": "Peter Gibbons", "email": "peter@initech.example"}]
    sent.refresh_from_db()
    assert sent.recipients == [{"name": "Pat", "email": "pat@initech.example"}]


def test_transfer_ownership(client_for, owner, admin, team):
    target = membership_of(admin, team)

    response = client_for(owner).post(f"/t/{team.slug}/members/{target.public_id}/transfer/")

    assert response.status_code == 302
    assert membership_of(admin, team).role == Role.OWNER
    assert membership_of(owner, team).role == Role.ADMIN


def test_admin_cannot_transfer_ownership(client_for, admin, member, team):
    target = membership_of(member, team)

    response = client_for(admin).post(f"/t/{team.slug}/members/{target.public_id}/transfer/")

    assert response.status_code == 403
    assert membership_of(member, team).role == Role.MEMBER
    with pytest.raises(RoleRequired):
        transfer_ownership(admin, target)


def test_delete_team_needs_exact_name(client_for, owner, team):
    client = client_for(owner)

    wrong = client.post(f"/t/{team.slug}/delete/", {"confirm_name": "acme"})

    assert wrong.status_code == 200
    assert "Type the team name, Acme Analytics, exactly to confirm deleting it." in wrong.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_owner_deletes_team(client_for, owner, team, integrations, saas_partner, partner_team):
    card = add_partner(owner, integrations, saas_partner)

    response = client_for(owner).post(f"/t/{team.slug}/delete/", {"confirm_name": "Acme Analytics"})

    assert response.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Notification.objects.filter(card_id=card.pk).exists()
    assert Team.objects.filter(pk=partner_team.pk).exists()


def test_admin_cannot_delete_team(client_for, admin, team):
    assert client_for(admin).post(f"/t/{team.slug}/delete/", {"confirm_name": "Acme Analytics"}).status_code == 403
    with pytest.raises(RoleRequired):
        delete_team(admin, team, "Acme Analytics")
    assert Team.objects.filter(pk=team.pk).exists()
