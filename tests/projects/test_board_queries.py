"""The board and the move stay at a fixed number of SQL queries whatever the number of cards."""

import uuid

import pytest
from django.urls import reverse

from partnerboard.accounts.models import Kind
from partnerboard.notifications.models import Notification, Status
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Card, Stage
from partnerboard.projects.services import add_partner, move_card

# Session, user, membership, project, stages with their card counts, the
# first cards of every column, and the user's teams for the sidebar.
BOARD_QUERIES = 7
# The view reads the session, user, membership, project, card, destination
# stage and the card to drop below. move_card then reads the actor's role,
# opens a savepoint, locks the stage and the card, reads the card to drop below
# again (its position may have changed) and the free position, updates the card,
# inserts the activity, cancels pending emails and releases the savepoint. The
# destination stage sends no email, so no pending email is looked up for Undo.
MOVE_QUERIES = 17


def board_url(project):
    return reverse("projects:board", args=[project.team.slug, project.public_id])


def fill_board(owner, team, project, count):
    """Add `count` partners to the project and spread their cards over its stages."""
    stages = list(Stage.objects.filter(project=project).order_by("order"))
    for number in range(count):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number:03d}", kind=Kind.SAAS))
        card = add_partner(owner, project, partner)
        move_card(owner, card, stages[number % len(stages)])
    # One card with a failed email, so both email marks are rendered from the same query.
    Notification.objects.filter(card=Card.objects.filter(project=project).first()).update(status=Status.FAILED)


@pytest.mark.parametrize("count", [3, 150])
def test_board_query_count_fixed(client_for, owner, team, co_marketing, django_assert_num_queries, settings, count):
    # Room for every card: 150 cards over 11 stages put at most 14 in a column.
    settings.BOARD_COLUMN_PAGE_SIZE = 20
    fill_board(owner, team, co_marketing, count)
    client = client_for(owner)

    with django_assert_num_queries(BOARD_QUERIES, exact=True):
        response = client.get(board_url(co_marketing))

    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == count


def test_board_query_count_with_full_columns(client_for, owner, team, co_marketing, django_assert_num_queries, settings):
    settings.BOARD_COLUMN_PAGE_SIZE = 4
    fill_board(owner, team, co_marketing, 150)
    client = client_for(owner)

    with django_assert_num_queries(BOARD_QUERIES, exact=True):
        response = client.get(board_url(co_marketing))

    html = response.content.decode()
    assert html.count('class="card"') == 11 * 4
    assert html.count('class="more"') == 11


def test_filtered_board_query_count_fixed(client_for, owner, team, co_marketing, django_assert_num_queries):
    fill_board(owner, team, co_marketing, 30)
    client = client_for(owner)

    with django_assert_num_queries(BOARD_QUERIES, exact=True):
        response = client.get(board_url(co_marketing), {"q": "partner 01"})

    assert response.content.decode().count('class="card"') == 10


@pytest.mark.parametrize("count", [3, 150])
def test_move_query_count_fixed(client_for, owner, team, co_marketing, django_assert_num_queries, count):
    fill_board(owner, team, co_marketing, count)
    card = Card.objects.filter(project=co_marketing).order_by("pk").first()
    below = Card.objects.filter(project=co_marketing).exclude(stage=card.stage).order_by("pk").first()
    url = reverse("projects:move", args=[team.slug, co_marketing.public_id, card.public_id])
    client = client_for(owner)
    data = {"stage": below.stage.public_id, "after": below.public_id, "version": card.version, "request_key": uuid.uuid4()}

    with django_assert_num_queries(MOVE_QUERIES, exact=True):
        response = client.post(url, data, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    card.refresh_from_db()
    assert card.stage == below.stage
    assert card.position > below.position
