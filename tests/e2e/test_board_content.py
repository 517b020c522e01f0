"""What the board shows in Chromium: filtering, long columns, long names, typed markup, refused partners."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from partnerboard.accounts.models import Kind
from partnerboard.partners.models import Partner
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Card
from partnerboard.projects.services import add_partner

from .helpers import card, column, drag_card_to, open_board

XSS_NAME = "<img src=x onerror=alert(1)>"
# 120 characters without a space or hyphen, so the browser finds no place to break it by itself.
LONG_NAME = ("Hyperconvergedanalyticsplatform" * 4)[:120]


def add_partners(owner, project, names, kind=Kind.SAAS) -> list[Card]:
    cards = []
    for name in names:
        partner = create_partner(owner, project.team, PartnerData(name=name, kind=kind))
        cards.append(add_partner(owner, project, partner))
    return cards


def test_filter_narrows_board(page, sign_in, owner, integrations):
    add_partners(owner, integrations, ["Initech", "Initrode", "Umbrella Cloud", "Vandelay Data"])
    sign_in(page, owner)
    open_board(page, integrations)
    page.wait_for_load_state()
    expect(column(page, "Request sent").locator("li.card")).to_have_count(4)

    page.get_by_label("Filter by partner name").fill("init")

    expect(column(page, "Request sent").locator("li.card .card-name")).to_have_text(["Initech", "Initrode"])
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("2")
    expect(page).to_have_url(f"{page.url.split('?')[0]}?q=init")

    page.get_by_label("Filter by partner name").fill("")
    expect(column(page, "Request sent").locator("li.card")).to_have_count(4)


def test_drag_on_filtered_board(page, sign_in, owner, integrations):
    cards = add_partners(owner, integrations, ["Initech", "Initrode", "Umbrella Cloud"])
    sign_in(page, owner)
    open_board(page, integrations)
    page.wait_for_load_state()
    page.get_by_label("Filter by partner name").fill("initrode")
    expect(column(page, "Request sent").locator("li.card")).to_have_count(1)

    drag_card_to(page, "Initrode", "Meetings scheduled")

    expect(column(page, "Meetings scheduled").locator("li.card .card-name")).to_have_text(["Initrode"])
    expect(page.locator("#board-status")).to_have_text("Moved Initrode to Meetings scheduled.")
    cards[1].refresh_from_db()
    assert cards[1].stage.name == "Meetings scheduled"
    assert Card.objects.filter(project=integrations, stage__name="Request sent").count() == 2


def test_long_column_loads_more_on_scroll(page, sign_in, owner, integrations):
    page_size = settings.BOARD_COLUMN_PAGE_SIZE
    assert page_size < 120
    names = [f"Partner {number:03d}" for number in range(1, 121)]
    add_partners(owner, integrations, names)
    sign_in(page, owner)
    open_board(page, integrations)
    cards = column(page, "Request sent").locator("li.card")
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("120")
    expect(cards).to_have_count(page_size)

    for expected in range(2 * page_size, 120 + page_size, page_size):
        column(page, "Request sent").locator("li.more").scroll_into_view_if_needed()
        expect(cards).to_have_count(min(expected, 120))

    expect(column(page, "Request sent").locator("li.more")).to_have_count(0)
    expect(cards).to_have_count(120)
    expect(cards.last.locator(".card-name")).to_have_text("Partner 120")
    assert cards.locator(".card-name").all_inner_texts() == names


def test_loaded_cards_can_be_moved(page, sign_in, owner, integrations):
    page_size = settings.BOARD_COLUMN_PAGE_SIZE
    count = page_size + 10
    cards = add_partners(owner, integrations, [f"Partner {number:03d}" for number in range(1, count + 1)])
    last_name = f"Partner {count:03d}"
    sign_in(page, owner)
    open_board(page, integrations)
    expect(card(page, last_name)).to_have_count(0)
    column(page, "Request sent").locator("li.more").scroll_into_view_if_needed()
    expect(column(page, "Request sent").locator("li.card")).to_have_count(count)

    last = card(page, last_name)
    last.get_by_label(f"Move {last_name} to").select_option(label="QA")
    last.get_by_role("button", name="Move to").click()

    expect(column(page, "QA").locator("li.card .card-name")).to_have_text([last_name])
    cards[-1].refresh_from_db()
    assert cards[-1].stage.name == "QA"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_long_name_wraps_inside_card(new_page, sign_in, owner, integrations, viewport):
    assert len(LONG_NAME) == 120
    assert " " not in LONG_NAME
    add_partners(owner, integrations, [LONG_NAME, "Initech"])
    page = new_page(viewport)
    sign_in(page, owner)
    open_board(page, integrations)

    long_card = card(page, LONG_NAME)
    expect(long_card).to_be_visible()
    sizes = long_card.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert sizes[0] <= sizes[1]
    card_box = long_card.bounding_box()
    column_box = column(page, "Request sent").bounding_box()
    assert card_box["x"] >= column_box["x"]
    assert card_box["x"] + card_box["width"] <= column_box["x"] + column_box["width"]
    name_box = long_card.locator(".card-name").bounding_box()
    assert name_box["x"] + name_box["width"] <= card_box["x"] + card_box["width"]
    # The name breaks over several lines instead of being cut.
    assert name_box["height"] > 2 * long_card.locator(".meta").bounding_box()["height"]


def test_typed_markup_shows_as_text(page, sign_in, owner, team, integrations, agency_partner):
    xss_card = add_partners(owner, integrations, [XSS_NAME])[0]
    sign_in(page, owner)

    open_board(page, integrations)
    expect(card(page, XSS_NAME).locator(".card-name")).to_have_text(XSS_NAME)
    drag_card_to(page, XSS_NAME, "Meetings scheduled")
    expect(page.locator("#board-status")).to_have_text(f"Moved {XSS_NAME} to Meetings scheduled.")

    page.goto(reverse("projects:card", args=[team.slug, integrations.public_id, xss_card.public_id]))
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS_NAME)

    page.goto(reverse("partners:list", args=[team.slug]))
    expect(page.get_by_role("link", name=XSS_NAME, exact=True)).to_be_visible()

    page.goto(reverse("partners:detail", args=[team.slug, xss_card.partner.public_id]))
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS_NAME)

    # The add dialog lists it as already on the project, and typing its name as the search keeps it text.
    page.goto(reverse("projects:add", args=[team.slug, integrations.public_id]))
    page.wait_for_load_state()
    expect(page.locator("#candidates")).to_contain_text(XSS_NAME)
    page.get_by_label("Search partners").fill(XSS_NAME)
    expect(page.locator("#candidates tbody tr")).to_have_count(1)
    expect(page.locator("#candidates tbody tr td").first).to_have_text(XSS_NAME)
    page.get_by_label("Search partners").fill("<b>nothing like this</b>")
    expect(page.locator("#candidates")).to_contain_text("No partner matches “<b>nothing like this</b>”.")

    assert page.locator("img").count() == 0
    assert page.dialogs == []
    assert page.console_errors == []


def test_typed_markup_in_add_dialog(page, sign_in, owner, team, co_marketing):
    create_partner(owner, team, PartnerData(name=XSS_NAME, kind=Kind.SAAS))
    sign_in(page, owner)
    page.goto(reverse("projects:add", args=[team.slug, co_marketing.public_id]))
    page.wait_for_load_state()

    page.get_by_role("button", name=f"Add {XSS_NAME}").click()

    expect(card(page, XSS_NAME)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(f"Added {XSS_NAME} to Co-marketing.")
    assert Card.objects.filter(project=co_marketing, partner__name=XSS_NAME).count() == 1
    assert page.locator("img").count() == 0
    assert page.dialogs == []


def test_agency_refused_on_integrations(page, sign_in, owner, team, integrations, saas_partner, agency_partner):
    sign_in(page, owner)
    open_board(page, integrations)

    column(page, "Request sent").get_by_role("link", name="Add partner").click()

    agency_row = page.locator("#candidates tbody tr", has_text="Hooli Studio")
    expect(agency_row.get_by_role("button", name="Add")).to_be_disabled()
    expect(agency_row).to_contain_text(
        "Integrations takes SaaS companies only; Hooli Studio is an agency, so it cannot be added to Request sent."
    )
    saas_row = page.locator("#candidates tbody tr", has_text="Initech")
    expect(saas_row.get_by_role("button", name="Add Initech")).to_be_enabled()
    assert not Card.objects.filter(project=integrations).exists()
    assert Partner.objects.filter(team=team).count() == 2
