import pytest

from tests.notifications.smtp_server import SMTPServer, free_port
from tests.task_worker import database_worker


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "partnerboard.notifications.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A running aiosmtpd server on loopback, with the email settings pointing at it."""
    server = SMTPServer().start()
    use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def unused_smtp_port(settings):
    """A loopback port where nothing listens yet, with the email settings pointing at it."""
    port = free_port()
    use_smtp(settings, port)
    return port


@pytest.fixture
def no_undo_delay(settings):
    settings.NOTIFICATION_UNDO_SECONDS = 0
    settings.NOTIFICATION_RETRY_SECONDS = 1


def run_worker() -> None:
    """Run `partnerboard worker`'s task loop in this process until no task is due."""
    database_worker().run()
