"""Concurrent moves and adds, each thread or process with its own database connection.

The PostgreSQL tests run in the PostgreSQL pass of `make test` (DATABASE_URL
set to a postgres:// URL) and are left out of the SQLite pass, whose in-memory
test database cannot hold two writers. The SQLite tests run in both passes: they
start separate processes, or threads in a separate process, against a
temporary SQLite file configured as in production.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from partnerboard.accounts.models import Kind
from partnerboard.notifications.models import Notification, NotificationKind
from partnerboard.partners.services import PartnerData, create_partner
from partnerboard.projects import errors
from partnerboard.projects.models import Activity, ActivityKind, Card, Stage
from partnerboard.projects.services import add_partner, move_card

# Collected only when the suite runs on PostgreSQL (see pytest_collection_modifyitems in tests/conftest.py).
postgresql_only = pytest.mark.postgresql

MOVERS_SCRIPT = Path(__file__).with_name("sqlite_movers.py")


def stage(project, name):
    return Stage.objects.get(project=project, name=name)


def run_together(*calls):
    """Run each call in its own thread, released together by a barrier; return (result, error) pairs."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = (call(), None)
        except Exception as error:  # Collected so the test asserts on it; the main thread re-raises nothing.
            outcomes[index] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not thread.is_alive() for thread in threads), "a thread did not finish within 60 s"
    return outcomes


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_same_card_moved_twice_at_once(owner, member, integrations, saas_partner):
    card = add_partner(owner, integrations, saas_partner)
    qa = stage(integrations, "QA")
    launch = stage(integrations, "Launch")

    outcomes = run_together(
        lambda: move_card(owner, Card.objects.get(pk=card.pk), qa, expected_version=1),
        lambda: move_card(member, Card.objects.get(pk=card.pk), launch, expected_version=1),
    )

    winners = [index for index, (result, error) in enumerate(outcomes) if error is None]
    losers = [index for index, (result, error) in enumerate(outcomes) if error is not None]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    winner_stage = [qa, launch][winners[0]]
    error = outcomes[losers[0]][1]
    assert isinstance(error, errors.CardMovedMeanwhile), repr(error)
    assert str(error) == (
        f"Initech was moved to {winner_stage.name} by someone else meanwhile; the board now shows it there."
    )
    card.refresh_from_db()
    assert card.stage == winner_stage
    assert card.version == 2
    moves = Activity.objects.filter(card=card, kind=ActivityKind.MOVED)
    assert moves.count() == 1
    assert moves.get().to_stage == winner_stage
    assert Notification.objects.filter(card=card, kind=NotificationKind.STAGE).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_same_partner_added_twice_at_once(owner, member, integrations, saas_partner):
    outcomes = run_together(
        lambda: add_partner(owner, integrations, saas_partner),
        lambda: add_partner(member, integrations, saas_partner),
    )

    failures = [error for result, error in outcomes if error is not None]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], errors.AlreadyOnProject), repr(failures[0])
    assert str(failures[0]) == "Initech is already on Integrations, in Request sent."
    assert Card.objects.filter(project=integrations, partner=saas_partner).count() == 1
    assert Activity.objects.filter(kind=ActivityKind.ADDED).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.ADDED).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_many_cards_moved_into_one_column(owner, team, integrations):
    qa = stage(integrations, "QA")
    anchor_partner = create_partner(owner, team, PartnerData(name="Anchor", kind=Kind.SAAS))
    anchor = move_card(owner, add_partner(owner, integrations, anchor_partner), qa)
    cards = []
    for number in range(8):
        partner = create_partner(owner, team, PartnerData(name=f"Mover {number}", kind=Kind.SAAS))
        cards.append(add_partner(owner, integrations, partner))

    # Half the cards are dropped right below the anchor, half on top of the column.
    def mover(card, number):
        if number % 2:
            return lambda: move_card(owner, Card.objects.get(pk=card.pk), qa, after=anchor, expected_version=1)
        return lambda: move_card(owner, Card.objects.get(pk=card.pk), qa, to_top=True, expected_version=1)

    outcomes = run_together(*(mover(card, number) for number, card in enumerate(cards)))

    assert [error for result, error in outcomes if error is not None] == []
    column = list(Card.objects.filter(stage=qa).order_by("position"))
    positions = [card.position for card in column]
    assert len(column) == 9
    assert len(set(positions)) == 9
    assert positions == sorted(positions)
    anchor_index = column.index(anchor)
    on_top = {card.pk for number, card in enumerate(cards) if number % 2 == 0}
    below_anchor = {card.pk for number, card in enumerate(cards) if number % 2}
    assert {card.pk for card in column[:anchor_index]} == on_top
    assert {card.pk for card in column[anchor_index + 1 :]} == below_anchor
    assert Activity.objects.filter(kind=ActivityKind.MOVED, to_stage=qa).count() == 9


def test_sqlite_file_concurrent_moves(tmp_path):
    """Eight processes move their own cards at once on one SQLite file, and none fails with "database is locked"."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'board.sqlite3'}", PARTNERBOARD_DATA_DIR=str(tmp_path))
    env["LOG_LEVEL"] = "WARNING"
    processes, moves_each, cards_each = 8, 24, 3
    setup = subprocess.run(
        [sys.executable, str(MOVERS_SCRIPT), "setup", str(processes * cards_each)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert setup.returncode == 0, setup.stderr
    card_ids = json.loads(setup.stdout)["cards"]
    start_at = time.time() + 4

    movers = [
        subprocess.Popen(
            [sys.executable, str(MOVERS_SCRIPT), "move", str(start_at), str(moves_each),
             *card_ids[index * cards_each : (index + 1) * cards_each]],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for index in range(processes)
    ]
    reports = []
    for process in movers:
        stdout, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr
        reports.append(json.loads(stdout))

    assert [report["errors"] for report in reports] == [[]] * processes
    assert sum(report["moved"] for report in reports) == processes * moves_each
    check = subprocess.run(
        [sys.executable, str(MOVERS_SCRIPT), "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stderr
    state = json.loads(check.stdout)
    assert state["moved_activities"] == processes * moves_each
    assert state["duplicate_positions"] == 0
    assert state["journal_mode"] == "wal"


def run_movers_script(tmp_path, *arguments) -> dict:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'board.sqlite3'}", PARTNERBOARD_DATA_DIR=str(tmp_path))
    env["LOG_LEVEL"] = "WARNING"
    completed = subprocess.run(
        [sys.executable, str(MOVERS_SCRIPT), *arguments], env=env, capture_output=True, text=True, timeout=180
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_sqlite_file_same_card_moved_twice(tmp_path):
    state = run_movers_script(tmp_path, "race-move")

    outcomes = state["outcomes"]
    winners = [index for index, outcome in enumerate(outcomes) if outcome["ok"]]
    losers = [outcome for outcome in outcomes if not outcome["ok"]]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    winner_stage = state["targets"][winners[0]]
    assert losers[0]["error"] == "CardMovedMeanwhile"
    assert losers[0]["message"] == (
        f"Initech was moved to {winner_stage} by someone else meanwhile; the board now shows it there."
    )
    assert state["stage"] == winner_stage
    assert state["version"] == 2
    assert state["moved_to"] == [winner_stage]
    assert state["stage_emails"] == 1


def test_sqlite_file_same_partner_added_twice(tmp_path):
    state = run_movers_script(tmp_path, "race-add")

    losers = [outcome for outcome in state["outcomes"] if not outcome["ok"]]
    assert len(losers) == 1, state["outcomes"]
    assert losers[0]["error"] == "AlreadyOnProject"
    assert losers[0]["message"] == "Initech is already on Integrations, in Request sent."
    assert state["cards"] == 1
    assert state["added_activities"] == 1
    assert state["added_emails"] == 1
