"""Benchmark partner email delivery and what the outbox adds to a move.

1. Delivery: seeds COUNT due notifications (one contact each) in a fresh
   database and starts 1, then 2 `partnerboard worker` processes against an
   aiosmtpd server on 127.0.0.1. It reports emails delivered per minute
   between the first and the last message the server accepted (the steady
   rate), and over the whole run including worker start-up.
2. Move cost: in this process, on a fresh SQLite file, times move_card() into
   a stage that notifies (which writes the notification and its task row)
   against a move between two silent stages.

The database is a SQLite file in a temporary directory unless --database-url
names a PostgreSQL server, in which case databases named pb_bench_email_* are
created there and dropped again.

Run: .venv/bin/python bench/email_delivery.py [--count 300] [--moves 200]
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tests" / "notifications" / "outbox_tool.py"
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="Emails delivered per run.")
    parser.add_argument("--moves", type=int, default=200, help="Timed moves of each kind.")
    parser.add_argument("--database-url", default="", help="postgres://USER@HOST:PORT/ to run on PostgreSQL instead of SQLite.")
    return parser.parse_args()


class CountingHandler:
    def __init__(self):
        self.times = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.times.append(time.monotonic())
        return "250 2.0.0 Ok"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(base: str, tmp: Path, name: str) -> str:
    if not base:
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "pb_bench_email_{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "pb_bench_email_{name}"')
    return urlunsplit(parts._replace(path=f"/pb_bench_email_{name}"))


def drop_database(base: str, name: str) -> None:
    if not base:
        return
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "pb_bench_email_{name}" WITH (FORCE)')


def environment(url: str, tmp: Path, smtp_port: int) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")},
        "DJANGO_SETTINGS_MODULE": "partnerboard.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "PARTNERBOARD_DATA_DIR": str(tmp / "data"),
        "SECRET_KEY": "bench-secret-key-bench-secret-key-bench-secret-key",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NOTIFICATION_UNDO_SECONDS": "0",
        "PARTNERBOARD_TEAM_EMAILS_PER_HOUR": "0",
        "LOG_LEVEL": "WARNING",
    }


def run(command: list[str], env: dict) -> str:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=600).stdout


def delivery_run(workers: int, count: int, base_url: str, tmp: Path) -> dict:
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    name = f"delivery_{workers}"
    url = database_url(base_url, tmp, name)
    env = environment(url, tmp, port)
    processes = []

    try:
        run([sys.executable, "-m", "partnerboard", "migrate", "--verbosity", "0"], env)
        run([sys.executable, str(TOOL), "seed", str(count), "0"], env)

        started = time.monotonic()
        for number in range(workers):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "partnerboard", "worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", f"bench-{number}"],
                    env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )

        deadline = started + 600
        while len(handler.times) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        finished = time.monotonic()
        state = json.loads(run([sys.executable, str(TOOL), "state"], env))["notifications"]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        controller.stop()
        drop_database(base_url, name)

    sent = sum(1 for row in state if row["status"] == "sent")
    steady = handler.times[-1] - handler.times[0] if len(handler.times) > 1 else float("nan")
    return {
        "workers": workers,
        "emails": count,
        "accepted_by_server": len(handler.times),
        "rows_sent": sent,
        "steady_per_minute": round((len(handler.times) - 1) / steady * 60) if steady == steady and steady > 0 else None,
        "wall_seconds": round(finished - started, 2),
        "wall_per_minute": round(len(handler.times) / (finished - started) * 60),
    }


def move_cost(moves: int, base_url: str, tmp: Path) -> dict:
    """Time move_card() into a notifying stage and between silent stages, in this process."""
    url = database_url(base_url, tmp, "moves")
    env = environment(url, tmp, free_port())
    run([sys.executable, "-m", "partnerboard", "migrate", "--verbosity", "0"], env)
    os.environ.update(env)
    import django

    django.setup()
    from partnerboard.accounts.models import Kind, User
    from partnerboard.accounts.services import create_team
    from partnerboard.partners.services import PartnerData, create_partner
    from partnerboard.projects.models import Stage
    from partnerboard.projects.services import add_partner, deploy_project, move_card

    owner = User.objects.create_user(email="bench@acme.example", password="correct horse battery staple")
    team = create_team("Acme Analytics", Kind.SAAS, owner)
    project = deploy_project(owner, team, "integrations")
    project.email_on_add = False
    project.save()
    stages = {stage.name: stage for stage in Stage.objects.filter(project=project)}
    silent_a, silent_b, notifying = stages["Specifications"], stages["Post-launch activities"], stages["QA"]
    cards = []
    for number in range(40):
        partner = create_partner(owner, team, PartnerData(name=f"Partner {number}", kind=Kind.SAAS, contacts=[("C", f"c{number}@p{number}.example")]))
        cards.append(move_card(owner, add_partner(owner, project, partner), silent_a))

    into_notifying, into_silent = [], []
    for number in range(moves):
        card = cards[number % len(cards)]
        started = time.perf_counter()
        card = move_card(owner, card, silent_b)
        into_silent.append(time.perf_counter() - started)
        card = move_card(owner, card, silent_a)
        started = time.perf_counter()
        card = move_card(owner, card, notifying)
        into_notifying.append(time.perf_counter() - started)
        card = move_card(owner, card, silent_a)
        cards[number % len(cards)] = card
    django.db.connections.close_all()
    drop_database(base_url, "moves")

    def summary(samples):
        ordered = sorted(samples)
        return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2)}

    return {"moves_each": moves, "into_notifying_stage": summary(into_notifying), "between_silent_stages": summary(into_silent)}


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pb-bench-email-"))
    try:
        results = {
            "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}",
            "database": "PostgreSQL" if args.database_url else "SQLite file",
            "delivery": [delivery_run(workers, args.count, args.database_url, tmp) for workers in (1, 2)],
            "moves": move_cost(args.moves, args.database_url, tmp),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    suffix = "postgres" if args.database_url else "sqlite"
    (RESULTS_DIR / f"email-delivery-{suffix}-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
