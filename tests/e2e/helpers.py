"""Steps the browser tests share: finding columns and cards, and dragging a card with the mouse."""

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect


def board_path(project) -> str:
    return reverse("projects:board", args=[project.team.slug, project.public_id])


def open_board(page: Page, project, query: str = "") -> None:
    page.goto(board_path(project) + query)
    expect(page.locator(".board")).to_be_visible()


def column(page: Page, stage_name: str) -> Locator:
    """The column of a stage, found by its accessible name (the stage name, exactly)."""
    return page.get_by_role("region", name=stage_name, exact=True)


def card(page: Page, partner_name: str) -> Locator:
    return page.locator("li.card").filter(has=page.get_by_role("link", name=partner_name, exact=True))


def drag_card_to(
    page: Page, partner_name: str, stage_name: str, below: str | None = None, grab: str = ".meta", over: str | None = None
) -> None:
    """Drag a card, held by its `grab` part, to a column with real mouse moves, in steps.

    `over` names a card to pass over on the way, near its top, which makes
    Sortable move the dragged card above it for the time of the drag.

    The mouse travels in steps, as a hand does, so the browser fires its
    drag events along the way as it does for a person.
    """
    source = card(page, partner_name)
    source.scroll_into_view_if_needed()
    handle = source.locator(grab).bounding_box()
    start_x = handle["x"] + 10
    start_y = handle["y"] + handle["height"] / 2

    if below is None:
        target = column(page, stage_name).locator("ul.cards").bounding_box()
        end_x = target["x"] + target["width"] / 2
        end_y = target["y"] + 12
    else:
        target = card(page, below).bounding_box()
        end_x = target["x"] + target["width"] / 2
        end_y = target["y"] + target["height"] * 0.75

    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + 8, start_y + 8, steps=4)
    if over is not None:
        passed = card(page, over).bounding_box()
        page.mouse.move(passed["x"] + passed["width"] / 2, passed["y"] + 6, steps=10)
    page.mouse.move(end_x, end_y, steps=20)
    page.mouse.move(end_x, end_y + 2, steps=2)
    page.mouse.up()
