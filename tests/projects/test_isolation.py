"""One team never reaches another team's projects, cards or partners; a viewer changes nothing."""

import pytest
from django.urls import reverse

from partnerboard.projects.models import Card, Project
from partnerboard.projects.services import add_partner


@pytest.fixture
def acme_card(owner, integrations, saas_partner):
    return add_partner(owner, integrations, saas_partner)


def acme_urls(team, project, card, partner):
    return [
        reverse("projects:board", args=[team.slug, project.public_id]),
        reverse("projects:card", args=[team.slug, project.public_id, card.public_id]),
        reverse("projects:add", args=[team.slug, project.public_id]),
        reverse("projects:settings", args=[team.slug, project.public_id]),
        reverse("partners:detail", args=[team.slug, partner.public_id]),
        reverse("partners:edit", args=[team.slug, partner.public_id]),
    ]


def test_outsider_gets_404_on_every_page(client_for, outsider, team, integrations, acme_card, saas_partner):
    client = client_for(outsider)

    for url in acme_urls(team, integrations, acme_card, saas_partner):
        assert client.get(url).status_code == 404, url


def test_outsider_cannot_reach_through_own_team_url(client_for, outsider, other_team, integrations, acme_card, saas_partner):
    client = client_for(outsider)

    for url in acme_urls(other_team, integrations, acme_card, saas_partner):
        assert client.get(url).status_code == 404, url


def test_outsider_move_is_404_and_changes_nothing(client_for, outsider, other_team, team, integrations, acme_card):
    qa = integrations.stages.get(name="QA")
    own_team_url = reverse("projects:move", args=[other_team.slug, integrations.public_id, acme_card.public_id])
    acme_url = reverse("projects:move", args=[team.slug, integrations.public_id, acme_card.public_id])
    client = client_for(outsider)

    assert client.post(own_team_url, {"stage": str(qa.public_id)}).status_code == 404
    assert client.post(acme_url, {"stage": str(qa.public_id)}).status_code == 404
    acme_card.refresh_from_db()
    assert acme_card.stage.name == "Request sent"


def test_viewer_reads_board_without_move_controls(client_for, viewer, team, integrations, acme_card):
    response = client_for(viewer).get(reverse("projects:board", args=[team.slug, integrations.public_id]))

    assert response.status_code == 200
    assert "Initech" in response.content.decode()
    assert 'class="move-form"' not in response.content.decode()
    assert "Add partner" not in response.content.decode()


@pytest.mark.parametrize(
    "name, data",
    [
        ("projects:move", "move"),
        ("projects:add", "add"),
        ("projects:archive", None),
        ("projects:new", "deploy"),
    ],
)
def test_viewer_gets_403_on_writes(client_for, viewer, team, integrations, acme_card, saas_partner, name, data):
    qa = integrations.stages.get(name="QA")
    args = {
        "projects:move": [team.slug, integrations.public_id, acme_card.public_id],
        "projects:add": [team.slug, integrations.public_id],
        "projects:archive": [team.slug, integrations.public_id],
        "projects:new": [team.slug],
    }[name]
    payload = {
        "move": {"stage": str(qa.public_id)},
        "add": {"partner": str(saas_partner.public_id)},
        "deploy": {"template": "co-selling"},
        None: {},
    }[data]

    response = client_for(viewer).post(reverse(name, args=args), payload)

    assert response.status_code == 403
    acme_card.refresh_from_db()
    assert acme_card.stage.name == "Request sent"
    assert Project.objects.count() == 1
    assert Project.objects.get().archived_at is None
    assert Card.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client, team, integrations):
    response = client.get(reverse("projects:board", args=[team.slug, integrations.public_id]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_viewer_sees_settings_read_only(client_for, viewer, team, integrations):
    html = client_for(viewer).get(reverse("projects:settings", args=[team.slug, integrations.public_id])).content.decode()

    assert "Only an owner or admin of the team can change these settings." in html
    assert '<fieldset class="plain" disabled>' in html


def test_forbidden_page_explains_role(client_for, viewer, team):
    response = client_for(viewer).get(reverse("partners:new", args=[team.slug]))

    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()
    assert reverse("projects:list", args=[team.slug]) in response.content.decode()
