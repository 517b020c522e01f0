"""Layout of every main page at a desktop and a phone width: nothing spills sideways out of the page.

Set PARTNERBOARD_SCREENSHOT_DIR to a directory to also save a full-page PNG
of each page and width there, for looking at the pages by eye.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Stage
from partnerboard.projects.services import add_partner, move_card

from .conftest import DESKTOP, PHONE

SCREENSHOT_DIR = os.environ.get("PARTNERBOARD_SCREENSHOT_DIR", "")
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def busy_board(owner, team, integrations, saas_partner, agency_partner):
    """An Integrations board with cards in three stages, one of them with a long name."""
    names = ["Umbrella Cloud", "Vandelay Data", "Hyperconvergedanalyticsplatform" * 3, "Initrode"]
    cards = [add_partner(owner, integrations, saas_partner)]
    for name in names:
        partner = create_partner(owner, team, PartnerData(name=name, kind=Kind.SAAS, website="https://example.com"))
        cards.append(add_partner(owner, integrations, partner))
    stages = {stage.name: stage for stage in Stage.objects.filter(project=integrations)}
    move_card(owner, cards[0], stages["Meetings scheduled"])
    move_card(owner, cards[0], stages["QA"])
    move_card(owner, cards[1], stages["Meetings scheduled"])
    return cards


def page_paths(team, project, card) -> dict[str, str]:
    return {
        "board": reverse("projects:board", args=[team.slug, project.public_id]),
        "card": reverse("projects:card", args=[team.slug, project.public_id, card.public_id]),
        "add": reverse("projects:add", args=[team.slug, project.public_id]),
        "partners": reverse("partners:list", args=[team.slug]),
        "projects": reverse("projects:list", args=[team.slug]),
        "new-project": reverse("projects:new", args=[team.slug]),
    }


def assert_no_sideways_overflow(page, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the window"


def save_screenshot(page, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", VIEWPORTS, ids=list(VIEWPORTS))
def test_signed_in_pages_fit_width(new_page, sign_in, owner, team, integrations, busy_board, width):
    page = new_page(VIEWPORTS[width])
    failed_requests = []
    page.on("response", lambda response: response.status >= 400 and failed_requests.append(response.url))
    sign_in(page, owner)

    for name, path in page_paths(team, integrations, busy_board[0]).items():
        page.goto(path)
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        save_screenshot(page, f"{name}-{width}")
        assert_no_sideways_overflow(page, name)

    # Every stylesheet and script the pages ask for exists. A missing icon shows in console_errors.
    assert failed_requests == []
    assert page.console_errors == []


@pytest.mark.parametrize("width", VIEWPORTS, ids=list(VIEWPORTS))
def test_account_pages_fit_width(new_page, width):
    page = new_page(VIEWPORTS[width])

    for name, path in {"signup": "/accounts/signup/", "signin": "/accounts/login/"}.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        save_screenshot(page, f"{name}-{width}")
        assert_no_sideways_overflow(page, name)


@pytest.mark.parametrize("width", VIEWPORTS, ids=list(VIEWPORTS))
def test_board_scrolls_sideways_inside_itself(new_page, sign_in, owner, integrations, busy_board, width):
    page = new_page(VIEWPORTS[width])
    sign_in(page, owner)
    page.goto(reverse("projects:board", args=[integrations.team.slug, integrations.public_id]))

    board = page.locator(".board")
    sizes = board.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert sizes[0] > sizes[1]
    widths = page.locator("section.column").evaluate_all("columns => columns.map(column => column.offsetWidth)")
    assert len(set(widths)) == 1
    assert_no_sideways_overflow(page, "board")
