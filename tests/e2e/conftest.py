"""Fixtures for the browser tests: one Chromium per session, one context per test.

The tests drive Debian's chromium (not Playwright's downloaded build) against
pytest-django's live_server. Without chromium they are skipped locally and
fail when CI=true, because CI must never pass with the browser tests unrun.
"""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from partnerboard.accounts.models import User

# Playwright's sync API runs an asyncio event loop in the test thread, and Django
# raises SynchronousOnlyOperation on ORM calls from such a thread unless this is set.
# The ORM calls in e2e tests are ordinary blocking calls made between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PARTNERBOARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Wide enough to show Request sent and QA of Integrations side by side, so a drag between them needs no scrolling.
WIDE = {"width": 1920, "height": 1000}


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI=true forbids skipping the browser tests. Install it with: apt-get install -y chromium")
    pytest.skip(f"{reason}. Install it with: apt-get install -y chromium")


def pytest_collection_modifyitems(items):
    """Mark every test under tests/e2e as e2e, so `-m "not e2e"` leaves them out."""
    e2e_dir = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(e2e_dir):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright_instance():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("The playwright package is not installed")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing_browser(f"Chromium was not found at {CHROMIUM}")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db) -> Iterator[Callable]:
    """Return a factory of pages, each in its own context (own cookies), at a given viewport.

    `javascript=False` opens a page with scripts off, to check that every action works as a plain form.
    """
    contexts = []

    def open_page(viewport: dict | None = None, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, java_script_enabled=javascript
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.console_errors = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        # Chromium reports a failed resource load, such as a missing icon, only as a console error.
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh desktop-sized page.

    `page.dialogs` lists every alert or confirm that fired, and `page.console_errors`
    every uncaught script error and console error, failed resource loads included.
    """
    return new_page()


@pytest.fixture
def sign_in_with_form():
    """Sign a user in through the real sign-in form."""

    def sign_in(page, email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return sign_in


@pytest.fixture
def sign_in(live_server):
    """Sign a user in by creating a session and handing its cookie to the page's context.

    It is faster than the form. Tests of the sign-in page itself use sign_in_with_form.
    """

    def sign_in(page, user: User) -> None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return sign_in
