"""Moving cards in Chromium: by keyboard, rejected drops, moves that conflict with someone else's."""

import pytest
from playwright.sync_api import expect

from partnerboard.accounts.models import Kind, Membership, Role
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Activity, ActivityKind, Card, Stage
from partnerboard.projects.services import add_partner, archive_project, move_card

from .helpers import card, column, drag_card_to, open_board


@pytest.fixture
def initech_card(owner, integrations, saas_partner) -> Card:
    return add_partner(owner, integrations, saas_partner)


def stage(project, name) -> Stage:
    return Stage.objects.get(project=project, name=name)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_keyboard_only_move(page, sign_in, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    select_id = f"move-{initech_card.public_id}"

    # Tab through the page from the top, as a keyboard user does, until the card's "Move to" control.
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused_id(page) == select_id:
            break
    assert focused_id(page) == select_id
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

    names = [s.name for s in integrations.stages.order_by("order")]
    for _ in range(names.index("Specifications")):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{select_id} option:checked")).to_have_text("Specifications")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(column(page, "Specifications").locator("li.card")).to_have_count(1)
    expect(page.locator(".messages")).to_contain_text("Moved Initech to Specifications.")
    expect(page.locator(f"#{select_id}")).to_be_focused()
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Specifications"
    assert Activity.objects.filter(card=initech_card, kind=ActivityKind.MOVED, actor=member).count() == 1


def test_rejected_drop_puts_card_back(page, sign_in, owner, member, team, integrations, initech_card):
    for name in ["Umbrella Cloud", "Vandelay Data"]:
        add_partner(owner, integrations, create_partner(owner, team, PartnerData(name=name, kind=Kind.SAAS)))
    sign_in(page, member)
    open_board(page, integrations)
    names = column(page, "Request sent").locator("li.card .card-name")
    expect(names).to_have_text(["Initech", "Umbrella Cloud", "Vandelay Data"])
    archive_project(owner, integrations)

    # Passing over Initech makes Sortable put the card on top of its column until the drop.
    drag_card_to(page, "Vandelay Data", "Specifications", over="Initech")

    expect(page.locator("#board-status")).to_have_text(
        "Integrations is archived; restore it before adding or moving partners."
    )
    expect(page.locator("#board-status")).to_have_class("board-status error")
    expect(names).to_have_text(["Initech", "Umbrella Cloud", "Vandelay Data"])
    expect(column(page, "Request sent").locator("[data-count]")).to_have_text("3")
    expect(column(page, "Specifications").locator("li.card")).to_have_count(0)
    expect(column(page, "Specifications").locator("[data-count]")).to_have_text("0")
    assert set(Card.objects.filter(project=integrations).values_list("stage__name", flat=True)) == {"Request sent"}
    assert Activity.objects.filter(card__project=integrations, kind=ActivityKind.MOVED).count() == 0


def test_rejected_reorder_puts_card_back(page, sign_in, owner, member, team, integrations, initech_card):
    for name in ["Umbrella Cloud", "Vandelay Data"]:
        add_partner(owner, integrations, create_partner(owner, team, PartnerData(name=name, kind=Kind.SAAS)))
    sign_in(page, member)
    open_board(page, integrations)
    names = column(page, "Request sent").locator("li.card .card-name")
    archive_project(owner, integrations)

    drag_card_to(page, "Vandelay Data", "Request sent", over="Initech")

    expect(page.locator("#board-status")).to_have_text(
        "Integrations is archived; restore it before adding or moving partners."
    )
    expect(names).to_have_text(["Initech", "Umbrella Cloud", "Vandelay Data"])
    ordered = list(Card.objects.filter(project=integrations).order_by("position").values_list("partner__name", flat=True))
    assert ordered == ["Initech", "Umbrella Cloud", "Vandelay Data"]


def test_drop_after_role_lowered_shows_reason(page, sign_in, member, team, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    Membership.objects.filter(team=team, user=member).update(role=Role.VIEWER)

    drag_card_to(page, "Initech", "Specifications")

    expect(page.locator("#board-status")).to_contain_text("role")
    expect(column(page, "Request sent").locator("li.card")).to_have_count(1)
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Request sent"


def test_conflicting_move_shows_card_where_it_is(page, sign_in, owner, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    move_card(owner, initech_card, stage(integrations, "Meetings scheduled"))

    drag_card_to(page, "Initech", "Specifications")

    expect(page.locator("#board-status")).to_have_text(
        "Initech was moved to Meetings scheduled by someone else meanwhile; the board now shows it there."
    )
    expect(column(page, "Meetings scheduled").locator("li.card")).to_have_count(1)
    expect(column(page, "Meetings scheduled").locator("[data-count]")).to_have_text("1")
    expect(column(page, "Specifications").locator("li.card")).to_have_count(0)
    expect(column(page, "Request sent").locator("li.card")).to_have_count(0)
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Meetings scheduled"
    assert list(Activity.objects.filter(card=initech_card, kind=ActivityKind.MOVED).values_list("actor", flat=True)) == [
        owner.pk
    ]

    # The reloaded board carries the new version, so the next drag goes through.
    drag_card_to(page, "Initech", "Specifications")
    expect(column(page, "Specifications").locator("li.card")).to_have_count(1)
    expect(page.locator("#board-status")).to_have_text("Moved Initech to Specifications.")
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Specifications"


def test_drag_by_name_moves_without_opening(page, sign_in, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    board_url = page.url

    drag_card_to(page, "Initech", "Specifications", grab=".card-name")

    expect(column(page, "Specifications").locator("li.card")).to_have_count(1)
    expect(page.locator("#board-status")).to_have_text("Moved Initech to Specifications.")
    assert page.url == board_url
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Specifications"


def test_stale_move_form_shows_where_card_is(page, sign_in, owner, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    move_card(owner, initech_card, stage(integrations, "QA"))

    card(page, "Initech").get_by_label("Move Initech to").select_option(label="Specifications")
    card(page, "Initech").get_by_role("button", name="Move to").click()

    expect(page.locator(".messages")).to_contain_text(
        "Initech was moved to QA by someone else meanwhile; the board now shows it there."
    )
    expect(column(page, "QA").locator("li.card .card-name")).to_have_text(["Initech"])
    expect(column(page, "Specifications").locator("li.card")).to_have_count(0)
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "QA"


def test_drag_to_offscreen_column_scrolls_board(page, sign_in, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    board = page.locator(".board")
    qa = column(page, "QA")
    board_box = board.bounding_box()
    assert qa.bounding_box()["x"] > board_box["x"] + board_box["width"]

    start = card(page, "Initech").locator(".meta").bounding_box()
    x, y = start["x"] + 10, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)
    edge_x, edge_y = board_box["x"] + board_box["width"] - 15, board_box["y"] + 80
    page.mouse.move(edge_x, edge_y, steps=20)
    # Holding the card at the board's right edge scrolls the board until QA comes into view.
    for step in range(400):
        page.mouse.move(edge_x - step % 2, edge_y)
        qa_box = qa.bounding_box()
        if qa_box["x"] + qa_box["width"] / 2 < edge_x - 40:
            break
    qa_box = qa.locator("ul.cards").bounding_box()
    page.mouse.move(qa_box["x"] + qa_box["width"] / 2, qa_box["y"] + 12, steps=10)
    page.mouse.up()

    expect(qa.locator("li.card .card-name")).to_have_text(["Initech"])
    expect(page.locator("#board-status")).to_have_text("Moved Initech to QA.")
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "QA"


def test_drop_dispatches_card_moved_event(page, sign_in, member, integrations, initech_card):
    sign_in(page, member)
    open_board(page, integrations)
    page.evaluate(
        "window.movedEvents = [];"
        "document.body.addEventListener('card-moved', (event) => window.movedEvents.push(event.detail));"
    )

    drag_card_to(page, "Initech", "Specifications")

    expect(column(page, "Specifications").locator("li.card")).to_have_count(1)
    page.wait_for_function("window.movedEvents.length === 1")
    detail = page.evaluate("window.movedEvents[0]")
    assert detail["ok"] is True
    assert detail["fromStage"] == str(stage(integrations, "Request sent").public_id)
    assert detail["stage"] == str(stage(integrations, "Specifications").public_id)
    assert detail["card"] == str(initech_card.public_id)


def test_reorder_within_column(page, sign_in, owner, member, integrations, initech_card):
    umbrella = create_partner(owner, integrations.team, PartnerData(name="Umbrella Cloud", kind=Kind.SAAS))
    add_partner(owner, integrations, umbrella)
    sign_in(page, member)
    open_board(page, integrations)
    cards = column(page, "Request sent").locator("li.card .card-name")
    expect(cards).to_have_text(["Initech", "Umbrella Cloud"])

    drag_card_to(page, "Initech", "Request sent", below="Umbrella Cloud")

    expect(cards).to_have_text(["Umbrella Cloud", "Initech"])
    page.wait_for_function("!document.querySelector('.card.sortable-chosen')")
    expect(page.locator("#board-status")).to_contain_text("Initech")
    ordered = list(Card.objects.filter(project=integrations).order_by("position").values_list("partner__name", flat=True))
    assert ordered == ["Umbrella Cloud", "Initech"]


def test_viewer_sees_no_move_controls(page, sign_in, viewer, integrations, initech_card):
    sign_in(page, viewer)
    open_board(page, integrations)

    expect(card(page, "Initech")).to_be_visible()
    expect(page.locator(".move-form")).to_have_count(0)
    expect(page.get_by_role("link", name="Add partner")).to_have_count(0)
    drag_card_to(page, "Initech", "Specifications")
    expect(column(page, "Request sent").locator("li.card")).to_have_count(1)
    initech_card.refresh_from_db()
    assert initech_card.stage.name == "Request sent"
