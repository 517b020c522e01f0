"""Several `partnerboard worker` processes, and a killed one, deliver each email exactly once.

The workers use a database of their own: a SQLite file on the SQLite pass, a
PostgreSQL database next to the test database on the PostgreSQL pass.
"""

import collections
import os
import signal
import time

import pytest

from tests.notifications.smtp_server import SMTPServer
from tests.notifications.workers import Outbox, fresh_database_url


@pytest.fixture
def server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def outbox(tmp_path, server):
    outbox = Outbox(fresh_database_url(tmp_path, "workers"), tmp_path, server.port)
    yield outbox
    outbox.stop()


def delivered_per_recipient(server) -> collections.Counter:
    return collections.Counter(address for envelope in server.handler.envelopes for address in envelope.rcpt_tos)


def test_two_workers_deliver_each_once(server, outbox):
    server.handler.delay = 0.05
    # Three tasks per email, so both workers keep trying to take the same rows.
    outbox.seed(20, extra_tasks=2)

    outbox.start_worker("worker-a")
    outbox.start_worker("worker-b")
    rows = outbox.wait_until_settled()

    assert [row["status"] for row in rows] == ["sent"] * 20
    assert [row["attempts"] for row in rows] == [1] * 20
    counts = delivered_per_recipient(server)
    assert len(counts) == 20
    assert set(counts.values()) == {1}
    tasks = outbox.full_state()["tasks"]
    assert {worker for task in tasks for worker in task["workers"]} == {"worker-a", "worker-b"}
    assert collections.Counter(task["result"] for task in tasks) == {"sent": 20, "skipped": 40}


def test_killed_worker_restarted_delivers_each_once(server, outbox):
    server.handler.stall_at = 3
    outbox.seed(5)

    first = outbox.start_worker("worker-killed")
    assert server.handler.stalled.wait(60), "the worker never reached the third message"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    # The server drops the half-received message, as it does when the client goes away before its reply.
    server.handler.release.set()
    time.sleep(0.2)
    stranded = [row for row in outbox.state() if row["status"] == "sending"]
    assert len(stranded) == 1

    outbox.start_worker("worker-restarted")
    rows = outbox.wait_until_settled()

    assert [row["status"] for row in rows] == ["sent"] * 5
    retaken = next(row for row in rows if row["pk"] == stranded[0]["pk"])
    assert retaken["attempts"] == 2
    counts = delivered_per_recipient(server)
    assert len(counts) == 5
    assert set(counts.values()) == {1}
