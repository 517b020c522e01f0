"""Benchmark the board page and card moves over HTTP against gunicorn on SQLite.

Creates a fresh SQLite database in a temporary data directory, one team, one
user and one Co-marketing project (11 stages) per size, with the cards spread
over the stages. Starts gunicorn on a free port of 127.0.0.1, signs in with a
session created in the database, then for each size measures:

- the board page and a move (median, 95th percentile, response size);
- SQL queries per request, counted in this process with the Django test client;
- moves per second with 1 and with 8 concurrent clients, and failed moves.

Every move is a drop below another card (or on top of an empty column) in the
next stage, sent with the card version the client last saw. Concurrent clients
each move only their own cards, so no move is rejected as a conflict: any
non-2xx response is a failure. Prints a Markdown table and writes the raw
figures to bench/results/.

Run: .venv/bin/python bench/board.py  (or `make bench`)
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
STAGE_COUNT = 11
# No run may take longer than this, whatever the options.
DEADLINE_SECONDS = 900
HTTP_TIMEOUT_SECONDS = 30


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="Comma-separated card counts, one project each.")
    parser.add_argument("--requests", type=int, default=40, help="Timed board pages and timed moves per size.")
    parser.add_argument("--moves-per-client", type=int, default=40, help="Moves each concurrent client makes.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients in the throughput run.")
    parser.add_argument("--workers", type=int, default=4, help="Gunicorn worker processes.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary data directory.")
    return parser.parse_args()


# ---------------------------------------------------------------- setup


def setup_django(data_dir: Path) -> None:
    os.environ["PARTNERBOARD_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerboard.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@dataclass
class BoardFixture:
    size: int
    project_id: str
    stage_ids: list[str]
    # card public id -> [stage index, version]
    cards: dict[str, list[int]]


def create_data(sizes: list[int]):
    """Create the team, its owner, the partners and one project per size, in bulk."""
    from django.db import transaction
    from django.utils import timezone as dj_timezone

    from partnerboard.accounts.models import Kind, User
    from partnerboard.accounts.services import create_team
    from partnerboard.partners.models import Contact, Partner
    from partnerboard.partners.names import name_key
    from partnerboard.projects.models import Card, Stage
    from partnerboard.projects.positions import GAP
    from partnerboard.projects.services import deploy_project

    rng = random.Random(7)
    user = User.objects.create_user(email="bench@acme.example", password="bench password 1234")
    team = create_team("Bench Analytics", Kind.SAAS, user)
    partner_count = max(sizes)
    with transaction.atomic():
        partners = Partner.objects.bulk_create(
            Partner(
                team=team,
                name=f"Partner {number:05d} Software",
                name_key=name_key(f"Partner {number:05d} Software"),
                kind=Kind.SAAS if number % 3 else Kind.AGENCY,
            )
            for number in range(partner_count)
        )
        Contact.objects.bulk_create(
            Contact(team=team, partner=partner, name=f"Contact of {partner.name}", email=f"p{index}@partner.example")
            for index, partner in enumerate(partners)
        )

    fixtures = []
    now = dj_timezone.now()
    for size in sizes:
        project = deploy_project(user, team, "co-marketing", name=f"Co-marketing {size}")
        stages = list(Stage.objects.filter(project=project).order_by("order"))
        assert len(stages) == STAGE_COUNT, f"Co-marketing has {len(stages)} stages, expected {STAGE_COUNT}"
        with transaction.atomic():
            cards = Card.objects.bulk_create(
                Card(
                    team=team,
                    project=project,
                    partner=partners[index],
                    stage=stages[index % STAGE_COUNT],
                    position=(index // STAGE_COUNT + 1) * GAP,
                    stage_entered_at=now - timedelta(hours=rng.randint(1, 2000)),
                )
                for index in range(size)
            )
        fixtures.append(
            BoardFixture(
                size=size,
                project_id=str(project.public_id),
                stage_ids=[str(stage.public_id) for stage in stages],
                cards={str(card.public_id): [index % STAGE_COUNT, 1] for index, card in enumerate(cards)},
            )
        )
    return user, team, fixtures


def session_cookie(user) -> str:
    """Sign the user in through Django's session machinery and return the session key."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, PARTNERBOARD_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING")
    env.pop("DATABASE_URL", None)
    log = open(data_dir / "gunicorn.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "partnerboard.wsgi:application",
         "--bind", f"{HOST}:{port}", "--workers", str(workers), "--worker-class", "sync"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}; see {data_dir / 'gunicorn.log'}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not listen on {HOST}:{port} within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """Return the user and system CPU time used so far by gunicorn's worker processes, from /proc.

    CPU time per request varies much less than wall time when other programs
    share the CPUs, so it shows what a request costs on an otherwise quiet machine.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Fields after the command name: state, ppid, ..., utime (12th), stime (13th).
        if int(fields[1]) == master.pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# ---------------------------------------------------------------- HTTP


class BoardClient:
    """One HTTP client with its own connection, signed in with the session cookie."""

    def __init__(self, port: int, team_slug: str, session_key: str):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT_SECONDS)
        self.team_slug = team_slug
        self.cookies = {"sessionid": session_key}
        self.csrf_token = ""

    def _cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _remember_cookies(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {}, Cookie=self._cookie_header(), Host=f"{HOST}")
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        self._remember_cookies(response)
        return response.status, payload, elapsed

    def board(self, fixture: BoardFixture):
        status, payload, elapsed = self.request("GET", f"/t/{self.team_slug}/projects/{fixture.project_id}/")
        if status != 200:
            raise RuntimeError(f"The board of {fixture.size} cards returned HTTP {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', payload)
        if match:
            self.csrf_token = match.group(1).decode()
        return payload, elapsed

    def move(self, fixture: BoardFixture, card_id: str, stage_index: int, after: str | None):
        # Like the board's drag and drop, each move carries a fresh request key.
        fields = {
            "stage": fixture.stage_ids[stage_index],
            "version": str(fixture.cards[card_id][1]),
            "request_key": str(uuid.uuid4()),
        }
        if after:
            fields["after"] = after
        else:
            fields["top"] = "on"
        body = urllib.parse.urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf_token,
            "Referer": f"http://{HOST}/",
        }
        path = f"/t/{self.team_slug}/projects/{fixture.project_id}/cards/{card_id}/move/"
        return self.request("POST", path, body=body, headers=headers)

    def close(self):
        self.connection.close()


class Mover:
    """Moves a fixed set of cards, each to the next stage, below a card of the same set when one is there.

    Only this mover touches its cards, so its view of their stages and
    versions is exact and none of its moves can conflict with another mover's.
    """

    def __init__(self, client: BoardClient, fixture: BoardFixture, card_ids: list[str]):
        self.client = client
        self.fixture = fixture
        self.card_ids = card_ids
        self.turn = 0
        self.failures: list[str] = []
        self.timings: list[float] = []
        self.sizes: list[int] = []

    def move_next(self) -> None:
        card_id = self.card_ids[self.turn % len(self.card_ids)]
        self.turn += 1
        state = self.fixture.cards[card_id]
        target = (state[0] + 1) % STAGE_COUNT
        # Drop below one of this mover's own cards already in the target column, as a drag does.
        after = next(
            (other for other in self.card_ids if other != card_id and self.fixture.cards[other][0] == target), None
        )
        status, payload, elapsed = self.client.move(self.fixture, card_id, target, after)
        self.timings.append(elapsed)
        self.sizes.append(len(payload))
        if not 200 <= status < 300:
            self.failures.append(f"HTTP {status}: {payload[:200]!r}")
            return
        state[0] = target
        state[1] = json.loads(payload)["version"]


# ---------------------------------------------------------------- measurements


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# Co-marketing's "Pitched account mapping" (silent) and "Campaign is live" (emails the partner).
SILENT_STAGE_INDEX = 4
NOTIFYING_STAGE_INDEX = 6


def count_queries(user, team, fixture: BoardFixture) -> tuple[int, int, int]:
    """Return the SQL queries of a board page, a move into a silent stage and one into a notifying stage.

    They are counted in this process with the test client. The moved card is
    the project's last card, which no timed run uses.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    board_url = f"/t/{team.slug}/projects/{fixture.project_id}/"
    client.get(board_url)
    with CaptureQueriesContext(connection) as board_queries:
        response = client.get(board_url)
    assert response.status_code == 200, response.status_code

    card_id = list(fixture.cards)[-1]
    counts = []
    for target in (SILENT_STAGE_INDEX, NOTIFYING_STAGE_INDEX):
        with CaptureQueriesContext(connection) as move_queries:
            response = client.post(
                f"{board_url}cards/{card_id}/move/",
                {
                    "stage": fixture.stage_ids[target],
                    "version": fixture.cards[card_id][1],
                    "top": "on",
                    "request_key": str(uuid.uuid4()),
                },
                HTTP_ACCEPT="application/json",
            )
        assert response.status_code == 200, response.content
        fixture.cards[card_id] = [target, response.json()["version"]]
        counts.append(len(move_queries))
    return len(board_queries), counts[0], counts[1]


@dataclass
class SizeResult:
    size: int
    board_times: list[float] = field(default_factory=list)
    board_bytes: int = 0
    board_cpu: float = 0.0
    board_queries: int = 0
    move_times: list[float] = field(default_factory=list)
    move_bytes: int = 0
    move_cpu: float = 0.0
    move_queries: int = 0
    notifying_move_queries: int = 0
    single_rate: float = 0.0
    single_failed: int = 0
    concurrent_rate: float = 0.0
    concurrent_failed: int = 0
    failure_samples: list[str] = field(default_factory=list)


def run_movers(movers: list[Mover], moves_each: int) -> float:
    """Run the movers in parallel threads, each making `moves_each` moves; return the wall time."""
    barrier = threading.Barrier(len(movers))

    def work(mover: Mover):
        barrier.wait()
        for _ in range(moves_each):
            try:
                mover.move_next()
            except (OSError, http.client.HTTPException) as error:
                mover.failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=work, args=(mover,)) for mover in movers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS)
    return time.perf_counter() - started


def measure_size(gunicorn, port, user, team, session_key, fixture: BoardFixture, options, deadline: float) -> SizeResult:
    result = SizeResult(size=fixture.size)
    result.board_queries, result.move_queries, result.notifying_move_queries = count_queries(user, team, fixture)

    client = BoardClient(port, team.slug, session_key)
    for _ in range(3):
        client.board(fixture)
    cpu_before = worker_cpu_seconds(gunicorn)
    for _ in range(options.requests):
        if time.monotonic() > deadline:
            break
        payload, elapsed = client.board(fixture)
        result.board_times.append(elapsed)
        result.board_bytes = len(payload)
    result.board_cpu = (worker_cpu_seconds(gunicorn) - cpu_before) / len(result.board_times)

    # The last card is the one count_queries moved; the timed moves leave it alone.
    card_ids = list(fixture.cards)[:-1]
    rng = random.Random(fixture.size)
    rng.shuffle(card_ids)
    # Cards for the timed single moves, and disjoint sets for each concurrent client.
    per_client = 8
    single = Mover(client, fixture, card_ids[:per_client])
    for _ in range(3):
        single.move_next()
    single.timings.clear()
    single.sizes.clear()
    cpu_before = worker_cpu_seconds(gunicorn)
    for _ in range(options.requests):
        if time.monotonic() > deadline:
            break
        single.move_next()
    result.move_cpu = (worker_cpu_seconds(gunicorn) - cpu_before) / len(single.timings)
    result.move_times = single.timings
    result.move_bytes = int(statistics.median(single.sizes)) if single.sizes else 0
    result.single_failed = len(single.failures)
    result.failure_samples += single.failures[:3]

    solo = Mover(client, fixture, card_ids[per_client : 2 * per_client])
    elapsed = run_movers([solo], options.moves_per_client)
    result.single_rate = len(solo.timings) / elapsed
    result.single_failed += len(solo.failures)
    result.failure_samples += solo.failures[:3]
    client.close()

    clients = [BoardClient(port, team.slug, session_key) for _ in range(options.clients)]
    movers = []
    for index, other in enumerate(clients):
        other.board(fixture)
        start = (index + 2) * per_client
        movers.append(Mover(other, fixture, card_ids[start : start + per_client]))
    elapsed = run_movers(movers, options.moves_per_client)
    moves_made = sum(len(mover.timings) for mover in movers)
    result.concurrent_rate = moves_made / elapsed
    result.concurrent_failed = sum(len(mover.failures) for mover in movers)
    for mover in movers:
        result.failure_samples += mover.failures[:2]
    for other in clients:
        other.close()
    return result


# ---------------------------------------------------------------- report


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def markdown_table(results: list[SizeResult], options) -> str:
    lines = [
        "| cards | board p50 ms | board p95 ms | board CPU ms | board KB | board queries "
        "| move p50 ms | move p95 ms | move CPU ms "
        f"| move bytes, median | move queries, silent / notifying stage | moves/s, 1 client | moves/s, {options.clients} clients | failed moves |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.size:,} | {milliseconds(statistics.median(result.board_times))} "
            f"| {milliseconds(percentile(result.board_times, 0.95))} | {milliseconds(result.board_cpu)} "
            f"| {result.board_bytes / 1024:.0f} | {result.board_queries} "
            f"| {milliseconds(statistics.median(result.move_times))} "
            f"| {milliseconds(percentile(result.move_times, 0.95))} | {milliseconds(result.move_cpu)} | {result.move_bytes} "
            f"| {result.move_queries} / {result.notifying_move_queries} "
            f"| {result.single_rate:.0f} | {result.concurrent_rate:.0f} "
            f"| {result.single_failed} + {result.concurrent_failed} |"
        )
    return "\n".join(lines)


def machine_summary() -> dict:
    import sqlite3

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": os.getloadavg(),
    }


def main() -> int:
    options = parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    deadline = time.monotonic() + DEADLINE_SECONDS
    data_dir = Path(tempfile.mkdtemp(prefix="partnerboard-bench-"))
    machine = machine_summary()
    gunicorn = None
    try:
        setup_django(data_dir)
        print(f"Creating {', '.join(f'{size:,}' for size in sizes)} cards in {data_dir} ...", flush=True)
        user, team, fixtures = create_data(sizes)
        session_key = session_cookie(user)
        port = free_port()
        gunicorn = start_gunicorn(data_dir, port, options.workers)
        print(f"gunicorn ({options.workers} sync workers) listens on {HOST}:{port}", flush=True)
        results = []
        for fixture in fixtures:
            print(f"Measuring the board of {fixture.size:,} cards ...", flush=True)
            results.append(measure_size(gunicorn, port, user, team, session_key, fixture, options, deadline))
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)
        if not options.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    table = markdown_table(results, options)
    print()
    print(table)
    print()
    print(
        f"{options.requests} timed pages and moves per size; {options.moves_per_client} moves per client "
        f"in the throughput runs; failed moves are 1-client + {options.clients}-client runs. "
        f"Load average at start: {' '.join(f'{value:.2f}' for value in machine['load_average_at_start'])}, "
        f"at end: {' '.join(f'{value:.2f}' for value in os.getloadavg())}."
    )
    for result in results:
        for sample in result.failure_samples[:5]:
            print(f"  failed move at {result.size} cards: {sample}")

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    raw = {"machine": machine, "options": vars(options), "results": [result.__dict__ for result in results]}
    (RESULTS_DIR / f"board-{stamp}.json").write_text(json.dumps(raw, indent=1, default=str))
    (RESULTS_DIR / f"board-{stamp}.md").write_text(table + "\n")
    failed = any(result.single_failed or result.concurrent_failed for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
