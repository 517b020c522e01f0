"""Signing up creates a team; the createteam and demo commands work from the CLI."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from partnerboard.accounts.models import Membership, Role, Team, User
from partnerboard.notifications.models import Notification
from partnerboard.projects.models import Card, Project


def test_signup_creates_team_with_owner(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nina@northwind.example",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "team_name": "Northwind",
            "team_kind": "agency",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.select_related("team", "user").get()
    assert membership.user.email == "nina@northwind.example"
    assert membership.role == Role.OWNER
    assert membership.team.name == "Northwind"
    assert membership.team.kind == "agency"


def test_signup_rejects_common_password(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nina@northwind.example",
            "password1": "password",
            "password2": "password",
            "team_name": "Northwind",
            "team_kind": "saas",
        },
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()
    assert not Team.objects.exists()


def test_home_sends_member_to_projects(client_for, owner, team):
    response = client_for(owner).get("/")

    assert response["Location"] == f"/t/{team.slug}/projects/"


def test_createteam_command_creates_owner(db):
    out = StringIO()

    call_command("createteam", "Initrode", kind="saas", owner="Bill@Initrode.example", stdout=out)

    team = Team.objects.get(name="Initrode")
    assert team.memberships.get().user.email == "Bill@initrode.example"
    assert team.memberships.get().role == Role.OWNER
    assert "slug initrode" in out.getvalue()


def test_createteam_command_reuses_existing_user(owner, team):
    call_command("createteam", "Second Team", kind="agency", owner="OLIVIA@acme.example", stdout=StringIO())

    assert Membership.objects.filter(user=owner).count() == 2


def test_createteam_rejects_blank_name(db):
    with pytest.raises(CommandError, match="A team needs a name."):
        call_command("createteam", "  ", kind="saas", owner="x@example.com", stdout=StringIO())


def test_demo_fills_team_once(db):
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", stdout=out)

    assert Project.objects.count() == 5
    assert Card.objects.count() > 20
    assert "already exists" in out.getvalue()
    assert not Notification.objects.exists()
    assert all(Project.objects.values_list("email_on_add", flat=True))


def test_password_reset_email_names_product(client, owner):
    client.post("/accounts/password/reset/", {"email": "olivia@acme.example"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Partnerboard] ")
    assert mail.outbox[0].to == ["olivia@acme.example"]
