"""Seed and inspect an outbox in the database named by DATABASE_URL, from a separate process.

    python tests/notifications/outbox_tool.py seed COUNT EXTRA_TASKS
    python tests/notifications/outbox_tool.py state

`seed` adds COUNT partners to a new Integrations project (each add records an
email and its task) and enqueues EXTRA_TASKS more delivery tasks per email, so
that several workers race for the same row. `state` prints every notification
and every finished task as JSON. The worker tests and bench/email_delivery.py run it.
"""

import json
import os
import sys


def seed(count: int, extra_tasks: int) -> None:
    from partnerboard.accounts.models import Kind, User
    from partnerboard.accounts.services import create_team
    from partnerboard.notifications.delivery import enqueue_delivery
    from partnerboard.notifications.models import Notification
    from partnerboard.partners.services import PartnerData, create_partner
    from partnerboard.projects.services import add_partner, deploy_project

    owner = User.objects.create_user(email=f"owner-{os.getpid()}@acme.example", password="correct horse battery staple")
    team = create_team(f"Acme Analytics {os.getpid()}", Kind.SAAS, owner)
    project = deploy_project(owner, team, "integrations")
    for number in range(count):
        partner = create_partner(
            owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS, contacts=[(f"Contact {number}", f"contact{number}@partner{number}.example")])
        )
        add_partner(owner, project, partner)
    for notification in Notification.objects.filter(team=team):
        for _ in range(extra_tasks):
            enqueue_delivery(notification)


def state() -> None:
    from partnerboard.notifications.models import Notification

    from django_tasks_db.models import DBTaskResult

    rows = Notification.objects.order_by("pk").values("pk", "status", "attempts", "recipients", "last_error", "smtp_response")
    tasks = DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("worker_ids", "return_value")
    print(json.dumps({"notifications": list(rows), "tasks": [{"workers": workers, "result": result} for workers, result in tasks]}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerboard.settings")
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "state":
        state()
    else:
        raise SystemExit(f"Unknown action {sys.argv[1]!r}; use seed or state.")
