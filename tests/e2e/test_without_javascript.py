"""Every board action as a plain form, in Chromium with JavaScript turned off."""

from django.conf import settings
from playwright.sync_api import expect

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Activity, ActivityKind, Card
from partnerboard.projects.services import add_partner

from .helpers import board_path, card, column, open_board


def test_add_and_move_without_javascript(new_page, sign_in, member, team, integrations, saas_partner, agency_partner):
    page = new_page(javascript=False)
    sign_in(page, member)
    open_board(page, integrations)

    column(page, "Request sent").get_by_role("link", name="Add partner").click()
    page.get_by_label("Search partners").fill("init")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#candidates tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Add Initech").click()

    expect(page.locator(".messages")).to_contain_text("Added Initech to Integrations.")
    expect(column(page, "Request sent").locator("li.card .card-name")).to_have_text(["Initech"])

    card(page, "Initech").get_by_label("Move Initech to").select_option(label="Meetings scheduled")
    card(page, "Initech").get_by_role("button", name="Move to").click()

    expect(page.locator(".messages")).to_contain_text("Moved Initech to Meetings scheduled.")
    expect(column(page, "Meetings scheduled").locator("li.card .card-name")).to_have_text(["Initech"])
    expect(column(page, "Meetings scheduled").locator("[data-count]")).to_have_text("1")
    initech = Card.objects.get(project=integrations, partner=saas_partner)
    assert initech.stage.name == "Meetings scheduled"
    kinds = list(Activity.objects.filter(card=initech).order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == [ActivityKind.ADDED, ActivityKind.MOVED]

    column(page, "Meetings scheduled").get_by_role("link", name="Initech").click()
    page.get_by_label("Move to").select_option(label="QA")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("#current-stage")).to_have_text("QA")
    expect(page.locator(".history li")).to_have_count(3)


def test_filter_without_javascript(new_page, sign_in, owner, integrations):
    for name in ["Initech", "Umbrella Cloud"]:
        add_partner(owner, integrations, create_partner(owner, integrations.team, PartnerData(name=name, kind=Kind.SAAS)))
    page = new_page(javascript=False)
    sign_in(page, owner)
    open_board(page, integrations)

    page.get_by_label("Filter by partner name").fill("umbrella")
    page.get_by_label("Filter by partner name").press("Enter")

    expect(column(page, "Request sent").locator("li.card .card-name")).to_have_text(["Umbrella Cloud"])
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("1")


def test_more_link_without_javascript(new_page, sign_in, owner, integrations):
    page_size = settings.BOARD_COLUMN_PAGE_SIZE
    names = [f"Partner {number:03d}" for number in range(1, page_size + 11)]
    for name in names:
        add_partner(owner, integrations, create_partner(owner, integrations.team, PartnerData(name=name, kind=Kind.SAAS)))
    moving = names[page_size + 4]
    page = new_page(javascript=False)
    sign_in(page, owner)
    open_board(page, integrations)
    expect(column(page, "Request sent").locator("li.card")).to_have_count(page_size)

    column(page, "Request sent").get_by_role("link", name="More…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("More cards in Request sent")
    expect(page.locator("li.card .card-name")).to_have_text(names[page_size:])
    card(page, moving).get_by_label(f"Move {moving} to").select_option(label="QA")
    card(page, moving).get_by_role("button", name="Move to").click()

    expect(column(page, "QA").locator("li.card .card-name")).to_have_text([moving])
    moved = Card.objects.get(project=integrations, partner__name=moving)
    assert moved.stage.name == "QA"
    assert page.url.endswith(f"{board_path(integrations)}#card-{moved.public_id}")
