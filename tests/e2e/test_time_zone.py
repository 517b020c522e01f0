"""Times on the card page follow the time zone the browser reports."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from partnerboard.projects.services import add_partner


def test_card_history_in_browser_time_zone(browser, live_server, sign_in, owner, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Kolkata")
    try:
        page = context.new_page()
        sign_in(page, owner)
        url = reverse("projects:card", args=[integrations.team.slug, integrations.public_id, card.public_id])

        # The first page sets the time zone cookie; the next one is rendered with it.
        page.goto(url)
        page.goto(url)

        expect(page.locator(".history time").first).to_have_attribute("datetime", re.compile(r"\+05:30$"))
    finally:
        context.close()
