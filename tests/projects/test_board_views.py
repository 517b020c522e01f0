"""The board pages as a signed-in person uses them, without JavaScript and through the JSON move."""

import pytest
from django.urls import reverse

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Activity, Card, Project, Stage
from partnerboard.projects.services import add_partner, deploy_project, move_card

XSS_NAME = "<img src=x onerror=alert(1)>"


def board_url(project):
    return reverse("projects:board", args=[project.team.slug, project.public_id])


def move_url(card):
    return reverse("projects:move", args=[card.team.slug, card.project.public_id, card.public_id])


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def test_board_shows_columns_in_template_order(client_for, owner, integrations, saas_partner):
    add_partner(owner, integrations, saas_partner)

    response = client_for(owner).get(board_url(integrations))

    html = response.content.decode()
    names = [s.name for s in integrations.stages.order_by("order")]
    offsets = [html.index(f">{name}</span>") for name in names]
    assert offsets == sorted(offsets)
    notifying = integrations.stages.filter(notifies=True).count()
    assert notifying == 6
    # The mark carries the sentence twice: as its tooltip and as its accessible name.
    assert html.count("Entering this stage emails the partner") == 2 * notifying
    assert "Initech" in html


def test_deploy_from_new_page_opens_board(client_for, owner, team):
    response = client_for(owner).post(reverse("projects:new", args=[team.slug]), {"template": "co-selling"})

    project = Project.objects.get(team=team)
    assert response.status_code == 302
    assert response["Location"] == board_url(project)
    assert project.name == "Co-selling"
    assert project.stages.count() == 9


def test_deploy_unknown_template_shows_message(client_for, owner, team):
    response = client_for(owner).post(reverse("projects:new", args=[team.slug]), {"template": "nope"}, follow=True)

    assert "There is no template &#x27;nope&#x27;" in response.content.decode()
    assert not Project.objects.exists()


def test_add_partner_form_adds_card(client_for, owner, integrations, saas_partner):
    url = reverse("projects:add", args=[integrations.team.slug, integrations.public_id])

    response = client_for(owner).post(url, {"partner": str(saas_partner.public_id)})

    assert response.status_code == 302
    card = Card.objects.get(project=integrations)
    assert card.partner == saas_partner
    assert card.stage.name == "Request sent"


def test_add_dialog_disables_agency_with_reason(client_for, owner, integrations, agency_partner, saas_partner):
    add_partner(owner, integrations, saas_partner)
    url = reverse("projects:add", args=[integrations.team.slug, integrations.public_id])

    html = client_for(owner).get(url).content.decode()

    assert "Hooli Studio is an agency, so it cannot be added to Request sent." in html
    assert "Already on Integrations, in Request sent." in html
    assert html.count('aria-disabled="true"') == 2


def test_add_wrong_kind_by_post_rejected(client_for, owner, integrations, agency_partner):
    url = reverse("projects:add", args=[integrations.team.slug, integrations.public_id])

    response = client_for(owner).post(url, {"partner": str(agency_partner.public_id)}, follow=True)

    assert "Integrations takes SaaS companies only" in response.content.decode()
    assert not Card.objects.exists()


def test_move_form_without_javascript(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    qa = stage(integrations, "QA")

    response = client_for(owner).post(move_url(card), {"stage": str(qa.public_id), "version": 1}, follow=True)

    card.refresh_from_db()
    assert card.stage == qa
    assert "Moved Initech to QA." in response.content.decode()


def test_json_move_returns_new_version(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    qa = stage(integrations, "QA")

    response = client_for(owner).post(
        move_url(card), {"stage": str(qa.public_id), "version": 1, "top": "on"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["version"] == 2
    assert response.json()["stage"] == str(qa.public_id)


def test_json_move_conflict_says_where_card_is(client_for, owner, member, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    launch = stage(integrations, "Launch")
    move_card(member, card, launch)

    response = client_for(owner).post(
        move_url(card), {"stage": str(stage(integrations, "QA").public_id), "version": 1}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 409
    assert response.json()["stage"] == str(launch.public_id)
    assert "moved to Launch by someone else meanwhile" in response.json()["message"]
    card.refresh_from_db()
    assert card.stage == launch


def test_move_with_bad_input_is_400(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)

    response = client_for(owner).post(move_url(card), {"stage": "not-a-uuid"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert "The move was not understood" in response.json()["message"]


def test_card_page_shows_history(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    move_card(owner, card, stage(integrations, "QA"))
    url = reverse("projects:card", args=[integrations.team.slug, integrations.public_id, card.public_id])

    html = client_for(owner).get(url).content.decode()

    assert "Added to Request sent" in html
    assert "Moved from Request sent to QA" in html
    assert "olivia@acme.example" in html


@pytest.mark.parametrize("cookie", ["Asia/Kolkata", "Asia%2FKolkata"])
def test_card_page_times_in_viewer_time_zone(client_for, owner, integrations, saas_partner, cookie):
    card = add_partner(owner, integrations, saas_partner)
    activity = Activity.objects.get(card=card)
    url = reverse("projects:card", args=[integrations.team.slug, integrations.public_id, card.public_id])
    client = client_for(owner)

    # The browser script stores the zone name percent-encoded.
    client.cookies["pb_tz"] = cookie
    html = client.get(url).content.decode()

    assert activity.created_at.astimezone().isoformat()[:4] in html
    assert "+05:30" in html


def test_filter_narrows_board(client_for, owner, team, integrations, saas_partner):
    other = create_partner(owner, team, PartnerData(name="Vandelay Industries", kind=Kind.SAAS))
    add_partner(owner, integrations, saas_partner)
    add_partner(owner, integrations, other)

    html = client_for(owner).get(board_url(integrations), {"q": "vandelay"}).content.decode()

    assert "Vandelay Industries" in html
    assert "Initech" not in html


def test_column_loads_next_page(client_for, owner, team, integrations, settings):
    settings.BOARD_COLUMN_PAGE_SIZE = 2
    for number in range(5):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS))
        add_partner(owner, integrations, partner)
    client = client_for(owner)
    first = stage(integrations, "Request sent")
    cards = list(Card.objects.filter(stage=first).order_by("position"))

    board_html = client.get(board_url(integrations)).content.decode()
    column_url = reverse("projects:column", args=[team.slug, integrations.public_id, first.public_id])
    page_html = client.get(column_url, {"after": cards[1].position}).content.decode()

    assert "Partner 1" in board_html
    assert "Partner 2" not in board_html
    assert "Partner 2" in page_html
    assert "Partner 3" in page_html
    assert "Partner 4" not in page_html
    assert "hx-trigger=\"intersect once\"" in page_html


def test_rename_clash_names_both(client_for, owner, team, integrations):
    co_selling = deploy_project(owner, team, "co-selling")
    url = reverse("projects:settings", args=[team.slug, co_selling.public_id])

    html = client_for(owner).post(url, {"name": "Integrations", "email_on_add": "on"}).content.decode()

    assert "Acme Analytics already has a project named “Integrations”; choose another name." in html
    co_selling.refresh_from_db()
    assert co_selling.name == "Co-selling"


def test_archived_project_leaves_list(client_for, owner, team, integrations):
    client = client_for(owner)

    client.post(reverse("projects:archive", args=[team.slug, integrations.public_id]))

    active = client.get(reverse("projects:list", args=[team.slug])).content.decode()
    archived = client.get(reverse("projects:list", args=[team.slug]), {"archived": "1"}).content.decode()
    assert board_url(integrations) not in active
    assert "No projects yet" in active
    assert board_url(integrations) in archived


@pytest.mark.parametrize(
    "page",
    ["board", "card", "partner_list", "partner_detail", "add_dialog"],
)
def test_partner_name_shown_as_text(client_for, owner, team, integrations, page):
    partner = create_partner(owner, team, PartnerData(name=XSS_NAME, kind=Kind.SAAS, notes=XSS_NAME))
    card = add_partner(owner, integrations, partner)
    urls = {
        "board": board_url(integrations),
        "card": reverse("projects:card", args=[team.slug, integrations.public_id, card.public_id]),
        "partner_list": reverse("partners:list", args=[team.slug]),
        "partner_detail": reverse("partners:detail", args=[team.slug, partner.public_id]),
        "add_dialog": reverse("projects:add", args=[team.slug, integrations.public_id]),
    }

    html = client_for(owner).get(urls[page]).content.decode()

    assert XSS_NAME not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_move_ignores_next_on_other_site(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    qa = stage(integrations, "QA")

    response = client_for(owner).post(
        move_url(card), {"stage": str(qa.public_id), "version": 1, "next": "https://elsewhere.example/"}
    )

    assert response["Location"] == board_url(integrations)


def test_move_returns_to_card_page(client_for, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    card_url = reverse("projects:card", args=[integrations.team.slug, integrations.public_id, card.public_id])

    response = client_for(owner).post(
        move_url(card), {"stage": str(stage(integrations, "QA").public_id), "version": 1, "next": card_url}
    )

    assert response["Location"] == card_url


def test_full_last_page_offers_no_more(client_for, owner, team, integrations, settings):
    settings.BOARD_COLUMN_PAGE_SIZE = 2
    for number in range(4):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS))
        add_partner(owner, integrations, partner)
    first = stage(integrations, "Request sent")
    second_card = Card.objects.filter(stage=first).order_by("position")[1]
    column_url = reverse("projects:column", args=[team.slug, integrations.public_id, first.public_id])

    page_html = client_for(owner).get(column_url, {"after": second_card.position}).content.decode()

    assert "Partner 3" in page_html
    assert "intersect once" not in page_html


def test_first_column_marks_email_on_adding(client_for, owner, team):
    alliances = deploy_project(owner, team, "strategic-alliances")

    html = client_for(owner).get(board_url(alliances)).content.decode()

    assert html.count("Adding a partner here emails it") == 2


def test_first_column_unmarked_when_adding_is_silent(client_for, owner, team):
    alliances = deploy_project(owner, team, "strategic-alliances")
    alliances.email_on_add = False
    alliances.save()

    html = client_for(owner).get(board_url(alliances)).content.decode()

    assert "Adding a partner here emails it" not in html
