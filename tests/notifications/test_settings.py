"""Email settings from EMAIL_URL or EMAIL_HOST, read by a fresh interpreter as at process start."""

import os
import subprocess
import sys

import pytest

from partnerboard.notifications.email_config import parse_email_url


def test_smtp_url_with_credentials():
    config = parse_email_url("smtp://mailer:p%40ss@127.0.0.1:1025")

    assert config["EMAIL_BACKEND"] == "partnerboard.notifications.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("127.0.0.1", 1025)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("mailer", "p@ss")
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (False, False)


@pytest.mark.parametrize(
    "url, tls, ssl, port",
    [("smtp+tls://mail.example", True, False, 587), ("smtp+ssl://mail.example", False, True, 465), ("smtp://mail.example", False, False, 25)],
)
def test_scheme_sets_tls_and_default_port(url, tls, ssl, port):
    config = parse_email_url(url)

    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"], config["EMAIL_PORT"]) == (tls, ssl, port)


def test_console_url():
    assert parse_email_url("console://")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def read_setting(name: str, **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(environment)
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "partnerboard.settings"}, capture_output=True, text=True, timeout=60
    )


def test_console_backend_by_default():
    result = read_setting("EMAIL_BACKEND")

    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_email_host_variables():
    result = read_setting("EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_BACKEND", EMAIL_HOST="127.0.0.1", EMAIL_PORT="2525", EMAIL_USE_TLS="yes")

    assert result.stdout.split() == ["2525", "True", "partnerboard.notifications.smtp.EmailBackend"]


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"EMAIL_URL": "imap://mail.example"}, "EMAIL_URL has the scheme 'imap'"),
        ({"EMAIL_URL": "smtp://mail.example:notaport"}, "EMAIL_URL has an invalid port"),
        ({"EMAIL_HOST": "mail.example", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole number."),
        ({"EMAIL_HOST": "mail.example", "EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS='maybe' is not a boolean"),
        ({"PARTNERBOARD_FROM_EMAIL": "Acme <a@b.example>\nBcc: x@y.example"}, "is not an email address"),
        ({"NOTIFICATION_UNDO_SECONDS": "soon"}, "NOTIFICATION_UNDO_SECONDS='soon' is not a whole number."),
        ({"EMAIL_TIMEOUT": "400"}, "EMAIL_TIMEOUT=400 must be below NOTIFICATION_LEASE_SECONDS=300"),
    ],
)
def test_bad_value_stops_start(environment, message):
    result = read_setting("EMAIL_BACKEND", **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
