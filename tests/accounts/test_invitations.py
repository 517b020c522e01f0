"""Member invitations: emailed from a task, single-use, expiring, revocable, address-bound, rate-limited."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerboard.accounts.models import Invitation, Membership, Role, Team, User
from partnerboard.accounts.services import AlreadyMember, InvitationLimitReached, invite_member
from tests.accounts.helpers import LINK, emailed_link, run_tasks
from tests.conftest import make_user
from tests.notifications.smtp_server import SMTPServer


def invite(client, team, email, role="member"):
    return client.post(f"/t/{team.slug}/members/invite/", {"email": email, "role": role})


def test_invite_emails_from_task_only(client_for, owner, team):
    response = invite(client_for(owner), team, "nina@northwind.example", "viewer")

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == Role.VIEWER
    assert invitation.invited_by == owner
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@northwind.example"]
    assert message.subject == "You are invited to join Acme Analytics on Partnerboard"
    assert "as Viewer" in message.body
    assert message.reply_to == ["olivia@acme.example"]
    assert f"/invitations/{invitation.public_id}/" in message.body
    assert len(message.alternatives) == 1


def test_task_twice_sends_once(owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    task = DBTaskResult.objects.get()
    run_tasks()
    DBTaskResult.objects.filter(pk=task.pk).update(status="READY")

    run_tasks()

    assert len(mail.outbox) == 1
    assert Invitation.objects.get().email_sent_at is not None


def test_token_stored_only_as_hash(owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    token = path.strip("/").split("/")[2]

    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert token not in " ".join(stored)
    assert token not in str(DBTaskResult.objects.get().args_kwargs)
    assert len(token) >= 43


def test_anonymous_sees_sign_in_and_sign_up(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "/accounts/login/?next=" in page
    assert "/accounts/signup/?next=" in page
    assert not Membership.objects.filter(user__email="nina@northwind.example").exists()


def test_accept_with_mixed_case_address(client, owner, team):
    invite_member(owner, team, "Nina@NorthWind.Example", Role.ADMIN)
    path = emailed_link("Nina@NorthWind.Example")
    nina = make_user("nina@northwind.example")
    client.force_login(nina)

    assert client.get(path).status_code == 200
    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == f"/t/{team.slug}/projects/"
    membership = Membership.objects.get(team=team, user=nina)
    assert membership.role == Role.ADMIN
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == nina
    assert invitation.accepted_at is not None


def test_link_works_once(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    nina = make_user("nina@northwind.example")
    client.force_login(nina)
    client.post(path)
    Membership.objects.filter(user=nina).delete()

    response = client.post(path)

    assert response.status_code == 410
    assert "has already been used" in response.content.decode()
    assert not Membership.objects.filter(user=nina).exists()


def test_expired_link_rejected(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(make_user("nina@northwind.example"))

    get = client.get(path)
    post = client.post(path)

    assert get.status_code == 410
    assert "expired on" in get.content.decode()
    assert post.status_code == 410
    assert not Membership.objects.filter(user__email="nina@northwind.example").exists()


def test_invitation_expires_after_seven_days(owner, team):
    before = timezone.now()
    invitation = invite_member(owner, team, "nina@northwind.example", Role.MEMBER)

    lifetime = invitation.expires_at - before
    assert datetime.timedelta(days=7) <= lifetime < datetime.timedelta(days=7, seconds=5)


def test_revoked_link_rejected(client_for, client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    invitation = Invitation.objects.get()
    revoke = client_for(owner).post(f"/t/{team.slug}/members/invitations/{invitation.public_id}/revoke/")
    assert revoke.status_code == 302
    client.force_login(make_user("nina@northwind.example"))

    response = client.post(path)

    assert response.status_code == 410
    assert "was revoked" in response.content.decode()
    assert not Membership.objects.filter(user__email="nina@northwind.example").exists()


def test_revoked_before_sending_sends_nothing(client_for, owner, team):
    invitation = invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    client_for(owner).post(f"/t/{team.slug}/members/invitations/{invitation.public_id}/revoke/")

    run_tasks()

    assert mail.outbox == []


def test_new_invitation_replaces_pending_one(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    first = emailed_link("nina@northwind.example")
    invite_member(owner, team, "nina@northwind.example", Role.VIEWER)
    second = emailed_link("nina@northwind.example")
    client.force_login(make_user("nina@northwind.example"))

    assert client.post(first).status_code == 410
    assert client.post(second).status_code == 302
    assert Membership.objects.get(user__email="nina@northwind.example").role == Role.VIEWER


def test_wrong_token_is_not_found(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    forged = path.rstrip("/")[:-4] + "AAAA/"
    client.force_login(make_user("nina@northwind.example"))

    assert client.get(forged).status_code == 404
    assert client.post(forged).status_code == 404
    assert not Membership.objects.filter(user__email="nina@northwind.example").exists()


def test_other_address_cannot_accept(client, owner, team, outsider):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    client.force_login(outsider)

    response = client.post(path)

    assert response.status_code == 403
    assert "This invitation is for nina@northwind.example" in response.content.decode()
    assert not Membership.objects.filter(team=team, user=outsider).exists()
    assert Invitation.objects.get().accepted_at is None


def test_signup_through_invitation_creates_no_team(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    path = emailed_link("nina@northwind.example")
    client.get(path)

    form = client.get(f"/accounts/signup/?next={path}")
    assert 'name="team_name"' not in form.content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nina@northwind.example",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "next": path,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == path
    nina = User.objects.get(email="nina@northwind.example")
    assert not Membership.objects.filter(user=nina).exists()
    assert Team.objects.count() == 1
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=nina).team == team


def test_signup_through_invitation_needs_invited_address(client, owner, team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    client.get(emailed_link("nina@northwind.example"))

    response = client.post(
        "/accounts/signup/",
        {
            "email": "someone@else.example",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )

    assert response.status_code == 200
    assert "sign up with that address to accept it" in response.content.decode()
    assert not User.objects.filter(email="someone@else.example").exists()


def test_signup_without_invitation_needs_team(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nina@northwind.example",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )

    assert response.status_code == 200
    assert not User.objects.exists()
    assert 'name="team_name"' in response.content.decode()


def test_existing_member_cannot_be_invited(owner, team, member):
    with pytest.raises(AlreadyMember) as raised:
        invite_member(owner, team, "MAX@acme.example", Role.VIEWER)

    assert str(raised.value) == "MAX@acme.example is already a member of Acme Analytics."
    assert not Invitation.objects.exists()


def test_team_limit_per_hour(client_for, owner, team, settings):
    settings.INVITATIONS_PER_TEAM_PER_HOUR = 20
    client = client_for(owner)
    for number in range(20):
        assert invite(client, team, f"person{number}@example.com").status_code == 302

    response = invite(client, team, "one-more@example.com")

    assert response.status_code == 429
    assert "has sent 20 invitations in the last hour, the maximum; try again in an hour." in response.content.decode()
    assert Invitation.objects.count() == 20
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    assert invite(client, team, "one-more@example.com").status_code == 302


def test_address_limit_per_day_across_teams(owner, team, outsider, other_team):
    invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
    invite_member(owner, team, "NINA@northwind.example", Role.MEMBER)
    invite_member(outsider, other_team, "nina@northwind.example", Role.MEMBER)

    with pytest.raises(InvitationLimitReached) as raised:
        invite_member(outsider, other_team, "nina@northwind.example", Role.VIEWER)

    assert str(raised.value) == (
        "nina@northwind.example has received 3 invitations in the last 24 hours, the maximum; try again tomorrow."
    )
    assert Invitation.objects.count() == 3


def test_several_teams_and_switching(client, owner, team, outsider, other_team):
    invite_member(outsider, other_team, "olivia@acme.example", Role.VIEWER)
    path = emailed_link("olivia@acme.example")
    client.force_login(owner)
    client.post(path)

    page = client.get(f"/t/{team.slug}/projects/").content.decode()

    assert "Switch team" in page
    assert f'href="/t/{other_team.slug}/projects/"' in page
    assert client.get(f"/t/{other_team.slug}/projects/").status_code == 200
    assert set(Membership.objects.filter(user=owner).values_list("team__name", flat=True)) == {"Acme Analytics", "Globex"}


def test_invitation_over_real_smtp(client, owner, team):
    server = SMTPServer().start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ):
            invite_member(owner, team, "nina@northwind.example", Role.MEMBER)
            run_tasks()
    finally:
        server.stop()

    assert len(server.messages) == 1
    received = server.messages[0]
    assert received["To"] == "nina@northwind.example"
    assert received["Subject"] == "You are invited to join Acme Analytics on Partnerboard"
    text = received.get_body(preferencelist=("plain",)).get_content()
    path = LINK.search(text).group(1)
    client.force_login(make_user("nina@northwind.example"))
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(team=team, user__email="nina@northwind.example").exists()
