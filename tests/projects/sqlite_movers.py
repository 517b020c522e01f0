"""Move cards against a SQLite file from a separate process, for test_concurrency.py.

The database comes from DATABASE_URL. Commands (each prints one JSON object):
  setup COUNT                          migrate, create a team, a Co-marketing project and COUNT cards
  move START_AT MOVES CARD_ID...       wait until the Unix time START_AT, then make MOVES moves of the given cards
  check                                count MOVED activities and duplicate positions, read the journal mode
  race-move                            two threads move one card to QA and to Launch at once
  race-add                             two threads add one partner to a project at once
"""

import json
import os
import sys
import threading
import time


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerboard.settings")
    import django

    django.setup()


def setup(count: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from partnerboard.accounts.models import Kind, User
    from partnerboard.accounts.services import create_team
    from partnerboard.partners.services import PartnerData, create_partner
    from partnerboard.projects.services import add_partner, deploy_project

    owner = User.objects.create_user(email="olivia@acme.example", password="correct horse battery staple")
    team = create_team("Acme Analytics", Kind.SAAS, owner)
    project = deploy_project(owner, team, "co-marketing")
    cards = []
    for number in range(count):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS))
        cards.append(str(add_partner(owner, project, partner).public_id))
    return {"cards": cards}


def move(start_at: float, moves: int, card_ids: list[str]) -> dict:
    from django.db import OperationalError

    from partnerboard.errors import RuleError
    from partnerboard.projects.models import Card, Stage
    from partnerboard.projects.services import move_card

    cards = list(Card.objects.filter(public_id__in=card_ids).select_related("project"))
    owner = cards[0].project.team.memberships.get().user
    stages = list(Stage.objects.filter(project=cards[0].project).order_by("order"))
    time.sleep(max(0.0, start_at - time.time()))
    moved, failures = 0, []
    for turn in range(moves):
        card = cards[turn % len(cards)]
        target = stages[(stages.index(next(s for s in stages if s.pk == card.stage_id)) + 1) % len(stages)]
        # Drop on top, at the bottom, or below another card of this process in the target column.
        anchor = next((other for other in cards if other.pk != card.pk and other.stage_id == target.pk), None)
        try:
            if turn % 3 == 0:
                updated = move_card(owner, card, target, to_top=True, expected_version=card.version)
            elif turn % 3 == 1 and anchor is not None:
                updated = move_card(owner, card, target, after=anchor, expected_version=card.version)
            else:
                updated = move_card(owner, card, target, expected_version=card.version)
        except (OperationalError, RuleError) as error:
            failures.append(f"{type(error).__name__}: {error}")
            continue
        cards[cards.index(card)] = updated
        moved += 1
    return {"moved": moved, "errors": failures}


def check() -> dict:
    from django.db import connection
    from django.db.models import Count

    from partnerboard.projects.models import Activity, ActivityKind, Card

    duplicates = Card.objects.values("stage", "position").annotate(n=Count("pk")).filter(n__gt=1).count()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    return {
        "moved_activities": Activity.objects.filter(kind=ActivityKind.MOVED).count(),
        "duplicate_positions": duplicates,
        "journal_mode": journal_mode,
    }


def run_together(*calls) -> list[dict]:
    """Run each call in its own thread (so on its own connection), released together by a barrier."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list[dict] = [{} for _ in calls]

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes[index] = {"ok": True}
        except Exception as error:  # Reported to the test, which asserts on the class and message.
            outcomes[index] = {"ok": False, "error": type(error).__name__, "message": str(error)}
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def race_fixture():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from partnerboard.accounts.models import Kind, Membership, Role, User
    from partnerboard.accounts.services import create_team
    from partnerboard.partners.services import PartnerData, create_partner
    from partnerboard.projects.services import deploy_project

    owner = User.objects.create_user(email="olivia@acme.example", password="correct horse battery staple")
    member = User.objects.create_user(email="max@acme.example", password="correct horse battery staple")
    team = create_team("Acme Analytics", Kind.SAAS, owner)
    Membership.objects.create(team=team, user=member, role=Role.MEMBER)
    project = deploy_project(owner, team, "integrations")
    partner = create_partner(
        owner, team, PartnerData(name="Initech", kind=Kind.SAAS, contacts=[("Peter Gibbons", "peter@initech.example")])
    )
    return owner, member, project, partner


def race_move() -> dict:
    from partnerboard.notifications.models import Notification, NotificationKind
    from partnerboard.projects.models import Activity, ActivityKind, Card, Stage
    from partnerboard.projects.services import add_partner, move_card

    owner, member, project, partner = race_fixture()
    card = add_partner(owner, project, partner)
    qa = Stage.objects.get(project=project, name="QA")
    launch = Stage.objects.get(project=project, name="Launch")
    outcomes = run_together(
        lambda: move_card(owner, Card.objects.get(pk=card.pk), qa, expected_version=1),
        lambda: move_card(member, Card.objects.get(pk=card.pk), launch, expected_version=1),
    )
    card.refresh_from_db()
    return {
        "outcomes": outcomes,
        "targets": ["QA", "Launch"],
        "stage": card.stage.name,
        "version": card.version,
        "moved_to": [a.to_stage.name for a in Activity.objects.filter(card=card, kind=ActivityKind.MOVED)],
        "stage_emails": Notification.objects.filter(card=card, kind=NotificationKind.STAGE).count(),
    }


def race_add() -> dict:
    from partnerboard.notifications.models import Notification, NotificationKind
    from partnerboard.projects.models import Activity, ActivityKind, Card
    from partnerboard.projects.services import add_partner

    owner, member, project, partner = race_fixture()
    outcomes = run_together(lambda: add_partner(owner, project, partner), lambda: add_partner(member, project, partner))
    return {
        "outcomes": outcomes,
        "cards": Card.objects.filter(project=project, partner=partner).count(),
        "added_activities": Activity.objects.filter(kind=ActivityKind.ADDED).count(),
        "added_emails": Notification.objects.filter(kind=NotificationKind.ADDED).count(),
    }


def main(argv: list[str]) -> None:
    setup_django()
    command = argv[1]
    if command == "setup":
        result = setup(int(argv[2]))
    elif command == "move":
        result = move(float(argv[2]), int(argv[3]), argv[4:])
    elif command == "check":
        result = check()
    elif command == "race-move":
        result = race_move()
    elif command == "race-add":
        result = race_add()
    else:
        raise SystemExit(f"Unknown command {command!r}; use setup, move, check, race-move or race-add.")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
