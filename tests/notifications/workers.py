"""Real `partnerboard worker` processes on a database of their own (a SQLite file or a PostgreSQL database)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(__file__).with_name("outbox_tool.py")


def fresh_database_url(tmp_path: Path, suffix: str) -> str:
    """Return the URL of an empty database next to the test database: PostgreSQL when the suite runs on it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{suffix}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class Outbox:
    """A migrated database plus the environment that workers, the seeder and the inspector share."""

    def __init__(self, database_url: str, tmp_path: Path, smtp_port: int, **settings):
        self.tmp_path = tmp_path
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")},
            "DJANGO_SETTINGS_MODULE": "partnerboard.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "PARTNERBOARD_DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "outbox-test-secret-key-outbox-test-secret-key",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "2",
            "NOTIFICATION_UNDO_SECONDS": "0",
            "NOTIFICATION_LEASE_SECONDS": "3",
            "NOTIFICATION_SWEEP_SECONDS": "1",
            "PARTNERBOARD_TEAM_EMAILS_PER_HOUR": "0",
            "LOG_LEVEL": "WARNING",
            **{key: str(value) for key, value in settings.items()},
        }
        self.workers: list[subprocess.Popen] = []
        self._run([sys.executable, "-m", "partnerboard", "migrate", "--verbosity", "0"])

    def _run(self, command: list[str]) -> str:
        result = subprocess.run(command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed:\n{result.stderr}")
        return result.stdout

    def seed(self, count: int, extra_tasks: int = 0) -> None:
        self._run([sys.executable, str(TOOL), "seed", str(count), str(extra_tasks)])

    def state(self) -> list[dict]:
        return self.full_state()["notifications"]

    def full_state(self) -> dict:
        return json.loads(self._run([sys.executable, str(TOOL), "state"]))

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "partnerboard", "worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", name],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def wait_until_settled(self, timeout: float = 90) -> list[dict]:
        """Poll until no notification is pending or sending; return the rows."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.state()
            if all(row["status"] in ("sent", "failed", "cancelled") for row in rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"Notifications still unsettled after {timeout} s: {rows}")
            time.sleep(0.5)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
