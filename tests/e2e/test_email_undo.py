"""The undo banner of a partner email in a real Chromium: countdown, Undo with and without JavaScript."""

import re

from playwright.sync_api import expect

from partnerboard.notifications.models import Notification, Status
from partnerboard.projects.models import Card
from partnerboard.projects.services import add_partner
from tests.e2e.conftest import WIDE
from tests.e2e.helpers import card, column, drag_card_to, open_board


def test_drag_shows_countdown_and_undo(new_page, sign_in, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    add_partner(owner, integrations, saas_partner)
    page = new_page(WIDE)
    sign_in(page, owner)
    open_board(page, integrations)

    drag_card_to(page, "Initech", "QA")

    banner = page.locator(".undo-banner")
    expect(banner).to_contain_text(re.compile(r"Email to Initech in \d+ s"))
    first = int(banner.locator("[data-countdown]").inner_text())
    page.wait_for_timeout(2200)
    later = int(banner.locator("[data-countdown]").inner_text())
    assert 55 <= first <= 60
    assert later <= first - 2

    banner.get_by_role("button", name="Undo").click()

    expect(page.locator(".messages")).to_contain_text("Put Initech back and cancelled the email.")
    expect(card(page, "Initech")).to_have_count(1)
    expect(column(page, "Request sent").locator("li.card")).to_have_count(1)
    assert Card.objects.get().stage.name == "Request sent"
    assert Notification.objects.get().status == Status.CANCELLED
    assert page.console_errors == []


def test_undo_form_without_javascript(new_page, sign_in, owner, integrations, saas_partner):
    integrations.email_on_add = False
    integrations.save()
    add_partner(owner, integrations, saas_partner)
    page = new_page(javascript=False)
    sign_in(page, owner)
    open_board(page, integrations)

    card(page, "Initech").locator("select[name=stage]").select_option(label="QA")
    card(page, "Initech").get_by_role("button", name="Move to").click()
    expect(page.locator(".undo-banner")).to_contain_text("Email to Initech in")
    page.locator(".undo-banner").get_by_role("button", name="Undo").click()

    expect(page.locator(".messages")).to_contain_text("Put Initech back and cancelled the email.")
    assert Card.objects.get().stage.name == "Request sent"
    assert Notification.objects.get().status == Status.CANCELLED
