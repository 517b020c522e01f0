"""The board in a real Chromium: sign up, import, deploy, add, drag, and the history that follows."""

import csv
import re
from pathlib import Path

from playwright.sync_api import expect

from partnerboard.accounts.models import Kind, Team, User
from partnerboard.partners.models import Partner
from partnerboard.projects.models import Activity, ActivityKind, Card, Project
from partnerboard.projects.services import add_partner

from .conftest import PASSWORD, WIDE
from .helpers import card, column, drag_card_to, open_board

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def company_names() -> list[str]:
    with open(FIXTURES / "saas-companies-2025.csv", newline="", encoding="utf-8") as file:
        return [row["Company Name"].strip() for row in csv.DictReader(file)]


def test_signup_deploy_add_drag_history(new_page):
    page = new_page(WIDE)

    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("priya@northwind.example")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_label("Team name").fill("Northwind Metrics")
    page.get_by_label("Your company is a").select_option(label="SaaS company")
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()

    team = Team.objects.get(name="Northwind Metrics")
    assert team.kind == Kind.SAAS
    assert User.objects.get(email="priya@northwind.example").memberships.get().team == team

    page.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(FIXTURES / "saas-companies-2025.csv")
    page.get_by_label("SaaS company").check()
    page.get_by_role("button", name="Preview import").click()
    page.get_by_role("button", name="Confirm: import 100 partners").click()
    expect(page.get_by_role("heading", name="Partners", exact=True)).to_be_visible()
    imported = set(Partner.objects.filter(team=team).values_list("name", flat=True))
    assert imported == set(company_names())
    assert len(imported) == 100

    page.get_by_role("link", name="Projects", exact=True).click()
    page.get_by_role("link", name="New", exact=True).click()
    page.get_by_role("button", name="Integrations").click()
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    project = Project.objects.get(team=team)
    assert project.template_key == "integrations"
    for name in ["Request sent", "Specifications", "QA", "Stale"]:
        expect(column(page, name)).to_be_visible()

    column(page, "Request sent").get_by_role("link", name="Add partner").click()
    page.wait_for_url("**/add/")
    page.wait_for_load_state()  # htmx listens for typing only once its deferred script has run
    page.get_by_label("Search partners").fill("Salesforce")
    expect(page.locator("#candidates tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Add Salesforce").click()
    expect(column(page, "Request sent").locator(".card")).to_have_text(re.compile("Salesforce"))
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("1")

    drag_card_to(page, "Salesforce", "QA")

    expect(column(page, "QA").locator(".card", has_text="Salesforce")).to_be_visible()
    expect(column(page, "QA").locator("[data-count]")).to_have_text("1")
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("0")
    expect(page.locator("#board-status")).to_contain_text("Salesforce")
    expect(column(page, "QA").locator(".card .age")).to_have_text("Moved here just now")
    card = Card.objects.select_related("stage").get(project=project)
    assert card.stage.name == "QA"

    page.reload()
    expect(column(page, "QA").locator(".card", has_text="Salesforce")).to_be_visible()
    column(page, "QA").get_by_role("link", name="Salesforce").click()
    expect(page.get_by_role("heading", name="Salesforce", level=1)).to_be_visible()
    history = page.locator(".history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Added to Request sent")
    expect(history.nth(1)).to_contain_text("Moved from Request sent to QA")
    kinds = list(Activity.objects.filter(card=card).order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == [ActivityKind.ADDED, ActivityKind.MOVED]
    assert page.console_errors == []


def test_column_header_and_card_content(page, sign_in, owner, integrations, saas_partner):
    add_partner(owner, integrations, saas_partner)
    sign_in(page, owner)
    open_board(page, integrations)

    request_sent = column(page, "Request sent")
    expect(request_sent.get_by_role("heading", level=2)).to_have_text("Request sent")
    expect(request_sent.locator("[data-count]")).to_have_text("1")
    mark = request_sent.get_by_role("img", name="Entering this stage emails the partner")
    expect(mark).to_have_attribute("title", "Entering this stage emails the partner")
    expect(request_sent.get_by_role("link", name="Add partner")).to_be_visible()
    expect(column(page, "Not a fit").get_by_role("img")).to_have_count(0)
    expect(column(page, "Not a fit").get_by_role("link", name="Add partner")).to_have_count(0)

    initech = card(page, "Initech")
    expect(initech.locator(".meta")).to_contain_text("SaaS company")
    expect(initech.locator(".meta")).to_contain_text("minutes in stage")
    assert page.console_errors == []
