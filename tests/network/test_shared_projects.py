"""What a partner's linked team sees of shared projects: its own card's stage and nothing else."""

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from partnerboard.accounts.models import Kind
from partnerboard.network import queries
from partnerboard.network.services import disconnect
from partnerboard.partners.services import PartnerData, create_partner, update_partner
from partnerboard.notifications.models import Notification
from partnerboard.notifications.services import undo_notification
from partnerboard.projects.models import Activity, Card, Stage
from partnerboard.projects.services import add_partner, archive_project, deploy_project, move_card


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


@pytest.fixture
def other_partner(owner, team):
    return create_partner(owner, team, PartnerData(name="Umbrella Corp", kind=Kind.SAAS, notes="Secret pricing notes"))


@pytest.fixture
def shared_card(owner, integrations, saas_partner, partner_team):
    card = add_partner(owner, integrations, saas_partner)
    return move_card(owner, card, stage(integrations, "Specifications"))


def test_partner_sees_shared_project(client_for, partner_user, partner_team, shared_card, integrations):
    response = client_for(partner_user).get(f"/t/{partner_team.slug}/projects/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Shared with you" in page
    assert "Integrations" in page
    assert "Acme Analytics" in page
    assert '<li class="current" aria-current="step">Specifications</li>' in page
    names = list(Stage.objects.filter(project=integrations).order_by("order").values_list("name", flat=True))
    positions = [page.index(f">{name}</li>") for name in names]
    assert positions == sorted(positions)
    assert page.count('aria-current="step"') == 1


def test_partner_sees_dates_not_actor(client_for, partner_user, partner_team, shared_card, owner, admin):
    move_card(admin, shared_card, stage(shared_card.project, "QA"))

    shared = queries.shared_with(partner_team)

    assert len(shared) == 1
    assert [change.stage_name for change in shared[0].changes] == ["Request sent", "Specifications", "QA"]
    assert shared[0].current_stage == "QA"
    page = client_for(partner_user).get(f"/t/{partner_team.slug}/shared/{shared_card.public_id}/").content.decode()
    assert "olivia@acme.example" not in page
    assert "adam@acme.example" not in page
    assert "Olivia" not in page


def test_partner_never_sees_other_partners_or_notes(
    client_for, owner, partner_user, partner_team, shared_card, integrations, other_partner, saas_partner
):
    add_partner(owner, integrations, other_partner)
    update_partner(
        owner,
        saas_partner,
        PartnerData(name="Initech", kind=Kind.SAAS, notes="Our private note", contacts=[("Peter Gibbons", "peter@initech.example")]),
    )
    client = client_for(partner_user)

    pages = [
        client.get(f"/t/{partner_team.slug}/projects/").content.decode(),
        client.get(f"/t/{partner_team.slug}/shared/{shared_card.public_id}/").content.decode(),
        client.get(f"/t/{partner_team.slug}/connections/").content.decode(),
    ]

    for page in pages:
        assert "Umbrella Corp" not in page
        assert "Secret pricing notes" not in page
        assert "Our private note" not in page


def test_internal_project_invisible(client_for, owner, partner_user, partner_team, co_marketing, saas_partner):
    card = add_partner(owner, co_marketing, saas_partner)
    client = client_for(partner_user)

    page = client.get(f"/t/{partner_team.slug}/projects/").content.decode()

    assert "Co-marketing" not in page
    assert "Shared with you" not in page
    assert client.get(f"/t/{partner_team.slug}/shared/{card.public_id}/").status_code == 404
    assert queries.shared_with(partner_team) == []


def test_partner_gets_404_on_owner_pages(client_for, owner, team, partner_user, shared_card, integrations, co_marketing, saas_partner, other_partner):
    internal_card = add_partner(owner, co_marketing, saas_partner)
    other_card = add_partner(owner, integrations, other_partner)
    client = client_for(partner_user)

    urls = [
        f"/t/{team.slug}/projects/",
        f"/t/{team.slug}/projects/{integrations.public_id}/",
        f"/t/{team.slug}/projects/{co_marketing.public_id}/",
        f"/t/{team.slug}/projects/{integrations.public_id}/cards/{shared_card.public_id}/",
        f"/t/{team.slug}/projects/{integrations.public_id}/cards/{other_card.public_id}/",
        f"/t/{team.slug}/projects/{co_marketing.public_id}/cards/{internal_card.public_id}/",
        f"/t/{team.slug}/partners/{saas_partner.public_id}/",
        f"/t/{team.slug}/members/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_other_partners_card_is_404_on_shared_page(client_for, owner, partner_user, partner_team, shared_card, integrations, other_partner):
    other_card = add_partner(owner, integrations, other_partner)

    response = client_for(partner_user).get(f"/t/{partner_team.slug}/shared/{other_card.public_id}/")

    assert response.status_code == 404


def test_shared_detail_404_outside_linked_team(client_for, owner, team, outsider, other_team, member, shared_card):
    path = f"/shared/{shared_card.public_id}/"

    assert client_for(outsider).get(f"/t/{other_team.slug}{path}").status_code == 404
    assert client_for(member).get(f"/t/{team.slug}{path}").status_code == 404
    assert client_for(owner).get(f"/t/{team.slug}{path}").status_code == 404


def test_disconnect_removes_view_at_once(client_for, owner, partner_user, partner_team, shared_card, saas_partner):
    client = client_for(partner_user)
    assert client.get(f"/t/{partner_team.slug}/shared/{shared_card.public_id}/").status_code == 200

    disconnect(owner, saas_partner)

    assert client.get(f"/t/{partner_team.slug}/shared/{shared_card.public_id}/").status_code == 404
    assert "Shared with you" not in client.get(f"/t/{partner_team.slug}/projects/").content.decode()


def test_removed_card_removes_view(client_for, partner_user, partner_team, shared_card):
    client = client_for(partner_user)
    Card.objects.filter(pk=shared_card.pk).delete()

    assert client.get(f"/t/{partner_team.slug}/shared/{shared_card.public_id}/").status_code == 404
    assert queries.shared_with(partner_team) == []


def test_archived_project_hidden(owner, partner_team, shared_card, integrations):
    archive_project(owner, integrations)

    assert queries.shared_with(partner_team) == []


def test_shared_list_query_count_is_fixed(owner, team, partner_team, saas_partner):
    projects = [deploy_project(owner, team, "integrations", name=f"Integration {number}") for number in range(4)]
    add_partner(owner, projects[0], saas_partner)
    with CaptureQueriesContext(db_connection) as one:
        assert len(queries.shared_with(partner_team)) == 1
    for project in projects[1:]:
        add_partner(owner, project, saas_partner)

    with CaptureQueriesContext(db_connection) as four:
        assert len(queries.shared_with(partner_team)) == 4

    assert len(four.captured_queries) == len(one.captured_queries) == 3


def test_undone_move_never_shown_to_partner(owner, partner_team, shared_card):
    moved = move_card(owner, shared_card, stage(shared_card.project, "QA"))
    email = Notification.objects.get(card=moved, stage__name="QA")

    undo_notification(owner, email)

    shared = queries.shared_with(partner_team)
    assert [change.stage_name for change in shared[0].changes] == ["Request sent", "Specifications"]
    assert shared[0].current_stage == "Specifications"
    assert Activity.objects.filter(card=shared_card, kind="moved").count() == 3
