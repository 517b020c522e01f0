"""The board rules, each with the message a person reads, checked through the service layer."""

import pytest

from partnerboard.accounts.models import Kind
from partnerboard.errors import RoleRequired
from partnerboard.notifications.models import Notification, NotificationKind
from partnerboard.partners.services import PartnerData, archive_partner, create_partner
from partnerboard.projects import errors
from partnerboard.projects.models import Activity, ActivityKind, Card, Stage
from partnerboard.projects.services import add_partner, archive_project, deploy_project, move_card


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def test_add_lands_in_request_sent(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    assert card.stage.name == "Request sent"
    assert card.stage.order == 0
    activity = Activity.objects.get(card=card)
    assert activity.kind == ActivityKind.ADDED
    assert activity.actor == owner
    assert activity.from_stage is None


def test_add_records_owed_email(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    notification = Notification.objects.get(card=card)
    assert notification.kind == NotificationKind.ADDED
    assert notification.recipients == [{"name": "Peter Gibbons", "email": "peter@initech.example"}]


def test_add_without_email_when_setting_off(owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()

    add_partner(owner, integrations, saas_partner)

    assert not Notification.objects.exists()


def test_partner_of_other_team_rejected(owner, integrations, outsider, other_team):
    foreign = create_partner(outsider, other_team, PartnerData(name="Umbrella", kind=Kind.SAAS))

    with pytest.raises(errors.PartnerNotInTeam) as raised:
        add_partner(owner, integrations, foreign)

    assert str(raised.value) == "Umbrella is not in the partner list of Acme Analytics; add it there first."
    assert not Card.objects.exists()


def test_second_add_says_where_partner_is(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    move_card(owner, card, stage(integrations, "QA"))

    with pytest.raises(errors.AlreadyOnProject) as raised:
        add_partner(owner, integrations, saas_partner)

    assert str(raised.value) == "Initech is already on Integrations, in QA."
    assert Card.objects.count() == 1


def test_same_partner_on_several_projects(owner, integrations, co_marketing, saas_partner):
    add_partner(owner, integrations, saas_partner)
    add_partner(owner, co_marketing, saas_partner)

    assert Card.objects.filter(partner=saas_partner).count() == 2


def test_integrations_rejects_agency(owner, integrations, agency_partner):
    with pytest.raises(errors.WrongPartnerKind) as raised:
        add_partner(owner, integrations, agency_partner)

    assert str(raised.value) == (
        "Integrations takes SaaS companies only; Hooli Studio is an agency, so it cannot be added to Request sent."
    )
    assert not Card.objects.exists()
    assert not Notification.objects.exists()


def test_agency_onboarding_rejects_saas(owner, team, saas_partner):
    project = deploy_project(owner, team, "agency-onboarding")

    with pytest.raises(errors.WrongPartnerKind) as raised:
        add_partner(owner, project, saas_partner)

    assert "Agency onboarding takes agencies only; Initech is a SaaS company" in str(raised.value)


def test_archived_partner_rejected(owner, integrations, saas_partner):
    archive_partner(owner, saas_partner)

    with pytest.raises(errors.PartnerArchived) as raised:
        add_partner(owner, integrations, saas_partner)

    assert str(raised.value) == "Initech is archived; restore it before adding it to Integrations."


def test_archived_project_rejects_moves(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    archive_project(owner, integrations)

    with pytest.raises(errors.ProjectArchived) as raised:
        move_card(owner, card, stage(integrations, "QA"))

    assert str(raised.value) == "Integrations is archived; restore it before adding or moving partners."


def test_move_to_stage_of_other_project_rejected(owner, integrations, co_marketing, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    with pytest.raises(errors.StageNotInProject) as raised:
        move_card(owner, card, stage(co_marketing, "Campaign is live"))

    assert str(raised.value) == (
        "Initech can only move between the stages of Integrations; Campaign is live belongs to another project."
    )
    card.refresh_from_db()
    assert card.stage.name == "Request sent"


def test_move_backwards_allowed(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    move_card(owner, card, stage(integrations, "Launch"))

    card = move_card(owner, card, stage(integrations, "Meetings scheduled"))

    assert card.stage.name == "Meetings scheduled"
    moves = Activity.objects.filter(card=card, kind=ActivityKind.MOVED).order_by("pk")
    assert [(a.from_stage.name, a.to_stage.name) for a in moves] == [
        ("Request sent", "Launch"),
        ("Launch", "Meetings scheduled"),
    ]


def test_move_into_notifying_stage_records_one_email(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    move_card(owner, card, stage(integrations, "QA"))

    stage_emails = Notification.objects.filter(card=card, kind=NotificationKind.STAGE)
    assert stage_emails.count() == 1
    assert stage_emails.get().stage.name == "QA"


@pytest.mark.parametrize("target", ["Specifications", "Not a fit", "Stale"])
def test_move_into_silent_stage_records_no_email(owner, integrations, saas_partner, target):
    card = add_partner(owner, integrations, saas_partner)

    move_card(owner, card, stage(integrations, target))

    assert not Notification.objects.filter(kind=NotificationKind.STAGE).exists()


def test_reorder_within_column_never_notifies(owner, integrations, saas_partner, team):
    other = create_partner(owner, team, PartnerData(name="Vandelay", kind=Kind.SAAS))
    qa = stage(integrations, "QA")
    first = move_card(owner, add_partner(owner, integrations, saas_partner), qa)
    second = move_card(owner, add_partner(owner, integrations, other), qa)
    before = Notification.objects.count()

    move_card(owner, second, qa, to_top=True)

    assert Notification.objects.count() == before
    ordered = list(Card.objects.filter(stage=qa).order_by("position"))
    assert ordered == [second, first]
    assert Activity.objects.filter(card=second).latest("pk").kind == ActivityKind.REORDERED


def test_same_request_twice_is_one_move(owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    qa = stage(integrations, "QA")
    key = "6f1c2f60-4a4e-4d8e-9a55-5b8d2b1f3c11"

    move_card(owner, card, qa, expected_version=1, request_key=key)
    move_card(owner, card, qa, expected_version=1, request_key=key)

    assert Activity.objects.filter(card=card, kind=ActivityKind.MOVED).count() == 1
    assert Notification.objects.filter(card=card, kind=NotificationKind.STAGE).count() == 1


def test_stale_version_rejected_with_current_stage(owner, member, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    move_card(member, card, stage(integrations, "Launch"), expected_version=1)

    with pytest.raises(errors.CardMovedMeanwhile) as raised:
        move_card(owner, card, stage(integrations, "QA"), expected_version=1)

    assert str(raised.value) == "Initech was moved to Launch by someone else meanwhile; the board now shows it there."
    card.refresh_from_db()
    assert card.stage.name == "Launch"


def test_viewer_cannot_add_or_move(owner, viewer, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    with pytest.raises(RoleRequired):
        move_card(viewer, card, stage(integrations, "QA"))
    with pytest.raises(RoleRequired):
        deploy_project(viewer, integrations.team, "co-selling")

    card.refresh_from_db()
    assert card.stage.name == "Request sent"


def test_template_deployed_twice_gets_numbered_name(owner, team):
    first = deploy_project(owner, team, "co-marketing")
    second = deploy_project(owner, team, "co-marketing")

    assert first.name == "Co-marketing"
    assert second.name == "Co-marketing 2"
    assert second.stages.count() == 11


def test_templates_have_exact_stages(owner, team):
    project = deploy_project(owner, team, "strategic-alliances")

    stages = [(s.name, s.notifies) for s in project.stages.order_by("order")]
    assert stages == [
        ("Request sent", False),
        ("Not a fit", False),
        ("Meetings scheduled", True),
        ("Plan created", False),
        ("Co-marketing committed", True),
        ("Account mapping invites", True),
        ("Warm intros", True),
        ("Pre-launch meeting", False),
        ("Campaigns live", True),
        ("Post-launch activities", False),
        ("Stale", False),
    ]
