"""Card positions: distinct and in order after many drops into one gap, and cheap in the common case."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerboard.accounts.models import Kind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects.models import Card, Stage
from partnerboard.projects.services import add_partner, move_card


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def add_cards(owner, team, project, count):
    cards = []
    for number in range(count):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number:03d}", kind=Kind.SAAS))
        cards.append(add_partner(owner, project, partner))
    return cards


def test_drops_between_same_two_cards(owner, team, integrations):
    qa = stage(integrations, "QA")
    upper, lower, *dropped = add_cards(owner, team, integrations, 202)
    upper = move_card(owner, upper, qa)
    lower = move_card(owner, lower, qa)

    # Each card lands right below `upper`, so the gap above `lower` halves with
    # every drop and the column is renumbered whenever it closes.
    for card in dropped:
        move_card(owner, card, qa, after=upper)

    column = list(Card.objects.filter(stage=qa).order_by("position"))
    positions = [card.position for card in column]
    assert len(column) == 202
    assert len(set(positions)) == 202
    assert column[0] == upper
    assert column[-1] == lower
    assert column[1:-1] == list(reversed(dropped))


def test_move_updates_one_card_row(owner, team, integrations):
    qa = stage(integrations, "QA")
    first, second, moving = add_cards(owner, team, integrations, 3)
    first = move_card(owner, first, qa)
    second = move_card(owner, second, qa)

    with CaptureQueriesContext(connection) as queries:
        moved = move_card(owner, moving, qa, after=first, expected_version=1)

    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    card_updates = [sql for sql in updates if sql.startswith('UPDATE "projects_card"')]
    other_updates = [sql for sql in updates if sql not in card_updates]
    assert len(card_updates) == 1
    # The rest cancel the card's waiting emails and queue the new one, whatever the column's size.
    assert all(sql.startswith('UPDATE "notifications_notification"') for sql in other_updates)
    assert len(other_updates) <= 2
    assert first.position < moved.position < second.position
