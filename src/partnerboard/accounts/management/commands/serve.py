import logging
import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Apply migrations, then run the web server (gunicorn) and the task worker until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("PARTNERBOARD_BIND", "127.0.0.1:8000"), help="Address and port gunicorn listens on.")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")), help="Number of gunicorn worker processes.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker (run 'partnerboard worker' elsewhere).")

    def handle(self, *args, bind, workers, no_worker, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "partnerboard", "worker"])
            logger.info("Started the task worker (pid %s)", worker.pid)
        host, _, port = bind.rpartition(":")
        self.stdout.write(f"Partnerboard is running: open http://{host or '127.0.0.1'}:{port}/ (Ctrl+C stops it).")
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "partnerboard.wsgi:application", "--bind", bind,
             "--workers", str(workers), "--access-logfile", "-"]
        )

        def stop(signum, frame):
            for process in (web, worker):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.wait()
        finally:
            stop(None, None)
            if worker is not None:
                worker.wait(timeout=30)
