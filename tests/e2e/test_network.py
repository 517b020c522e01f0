"""A partner's member follows its card on a shared project while the owner team moves it."""

from playwright.sync_api import expect

from partnerboard.accounts.models import Membership, Role, Team
from partnerboard.projects.services import add_partner
from tests.accounts.helpers import emailed_link
from tests.network.fixtures import partner_contact, partner_team, partner_user  # noqa: F401

from .helpers import card, column, drag_card_to, open_board


def test_partner_sees_owner_move_after_reload(
    new_page, sign_in, owner, integrations, saas_partner, partner_team, partner_user
):
    initech = add_partner(owner, integrations, saas_partner)
    partner_page = new_page()
    sign_in(partner_page, partner_user)
    partner_page.goto(f"/t/{partner_team.slug}/projects/")
    shared = partner_page.locator("#shared-with-you")
    expect(shared).to_contain_text("Integrations")
    expect(shared).to_contain_text("Acme Analytics")
    expect(shared.locator("li.current")).to_have_text("Request sent")

    owner_page = new_page()
    sign_in(owner_page, owner)
    open_board(owner_page, integrations)
    drag_card_to(owner_page, "Initech", "Meetings scheduled")
    expect(column(owner_page, "Meetings scheduled").locator("li.card")).to_have_count(1)
    # The board sets the card's new version once the server has applied the move.
    expect(card(owner_page, "Initech")).to_have_attribute("data-version", "2")
    initech.refresh_from_db()
    assert initech.stage.name == "Meetings scheduled"

    partner_page.reload()
    expect(shared.locator("li.current")).to_have_text("Meetings scheduled")
    expect(shared.locator(".stage-changes li")).to_have_count(2)
    partner_page.get_by_role("link", name="Integrations").click()
    expect(partner_page.locator("#current-stage")).to_have_text("Meetings scheduled")
    expect(partner_page.locator("main")).not_to_contain_text("olivia@acme.example")
    assert partner_page.console_errors == []
    assert owner_page.console_errors == []


def test_invitee_signs_up_and_joins(new_page, sign_in, owner, team):
    owner_page = new_page()
    sign_in(owner_page, owner)
    owner_page.goto(f"/t/{team.slug}/projects/")
    owner_page.get_by_role("link", name="Members").click()
    owner_page.get_by_label("Email address").fill("Nina@Northwind.example")
    owner_page.get_by_label("Role").select_option("viewer")
    owner_page.get_by_role("button", name="Send invitation").click()
    expect(owner_page.locator(".messages")).to_contain_text("Invited Nina@Northwind.example")
    expect(owner_page.locator("#invitations")).to_contain_text("Nina@Northwind.example")
    path = emailed_link("Nina@Northwind.example")

    invitee = new_page()
    invitee.goto(path)
    invitee.get_by_role("link", name="Create an account").click()
    expect(invitee.get_by_label("Team name")).to_have_count(0)
    expect(invitee.get_by_label("Email:")).to_have_value("Nina@Northwind.example")
    invitee.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
    invitee.get_by_label("Password (again):").fill("a long and unusual passphrase")
    invitee.get_by_role("button", name="Sign Up").click()
    invitee.get_by_role("button", name="Accept and join").click()

    expect(invitee.locator(".messages")).to_contain_text("Welcome to Acme Analytics. You joined as Viewer.")
    assert Membership.objects.get(team=team, user__email__iexact="nina@northwind.example").role == Role.VIEWER
    assert Team.objects.count() == 1
    assert invitee.console_errors == []
